import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { recordFigure } from '../support/faultFigures';
import { startTestSlack, type TestSlack } from '../support/localSlack/startTestSlack';
import { startPortbot, type PortbotProcess } from '../support/portbotProcess';
import {
  freePort,
  killRedisServer,
  shutdownRedisServer,
  startRedisServer,
  type RedisServer,
} from '../support/redisServer';
import { ALERT_TOKEN, postAlert, serviceEnv, writeIdleInventory } from '../support/serviceEnv';

/**
 * Issue 10 item 13 (N5): a Redis outage must leave serve's and the worker's output pure JSON
 * lines (no raw BullMQ or ioredis stack traces), a few lines per outage, and both recover.
 */
let slack: TestSlack;
let redis: RedisServer;
const procs: PortbotProcess[] = [];

afterAll(async () => {
  for (const p of procs) await p.kill();
  if (redis) await killRedisServer(redis);
  await slack?.close();
}, 60_000);

const alert = (port: number) => ({ host: 'lb-01', port, status: 'firing' });

const notJson = (line: string) => {
  try {
    return typeof JSON.parse(line) !== 'object';
  } catch {
    return true;
  }
};

it('Redis down for 15 s under traffic: only JSON lines on serve and worker, then recovery', async () => {
  const port = await freePort();
  redis = await startRedisServer(port, ['--save', '', '--appendonly', 'no']);
  slack = await startTestSlack({ autoCreateChannels: true });
  const env = serviceEnv({
    slackApiUrl: slack.url,
    redisDb: 0,
    inventory: writeIdleInventory(mkdtempSync(join(tmpdir(), 'portbot-outage-'))),
    extra: { REDIS_URL: `redis://127.0.0.1:${port}/0` },
  });
  const serve = await startPortbot(['serve'], env);
  const worker = await startPortbot(['worker'], env);
  procs.push(serve, worker);
  const from = { serve: serve.output().length, worker: worker.output().length };

  await shutdownRedisServer(redis);
  const statuses: number[] = [];
  for (let i = 0; i < 15; i += 1) {
    const a = await postAlert(serve.port, alert(7000 + i), ALERT_TOKEN, 'generic');
    statuses.push(a.status);
    await fetch(`http://127.0.0.1:${serve.port}/readyz`).catch(() => undefined);
    await sleep(1000);
  }
  redis = await startRedisServer(port, ['--save', '', '--appendonly', 'no']);
  let after = 0;
  for (let i = 0; i < 50 && after !== 202; i += 1) {
    after = (await postAlert(serve.port, alert(7100), ALERT_TOKEN, 'generic')).status;
    if (after !== 202) await sleep(200);
  }
  await sleep(3000);

  const lines = {
    serve: serve.output().slice(from.serve).split('\n').filter(Boolean),
    worker: worker.output().slice(from.worker).split('\n').filter(Boolean),
  };
  const raw = [...lines.serve, ...lines.worker].filter(notJson);
  console.log(
    `redis outage 15 s: serve ${lines.serve.length} lines, worker ${lines.worker.length}, non-JSON ${raw.length}; alerts during: ${statuses.join(',')}`,
  );
  recordFigure('redis outage 15 s', 'non-JSON output lines', raw.length, 'count');
  recordFigure('redis outage 15 s', 'serve log lines', lines.serve.length, 'count');
  expect(statuses.every((s) => s === 503)).toBe(true);
  expect(after).toBe(202);
  expect(raw.slice(0, 5)).toEqual([]);
  // One line per kind of failure per 10 s, carrying how many requests it stands for, not one
  // line per failed request.
  const failed = lines.serve
    .map((l) => JSON.parse(l) as { msg?: string; alsoFailedSince?: number })
    .filter((l) => l.msg === 'request failed');
  expect(failed.length).toBeGreaterThan(0);
  expect(failed.length).toBeLessThanOrEqual(statuses.length / 3);
  expect(failed.some((l) => (l.alsoFailedSince ?? 0) > 0)).toBe(true);
}, 120_000);
