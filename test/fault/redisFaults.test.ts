import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { DIAGNOSE_QUEUE } from '../../src/queue/jobTypes';
import { ALERT_TOKEN, ALLOWED_USER, ALERT_CHANNEL, SIGNING_SECRET } from '../support/serviceEnv';
import { signSlackRequest, slashCommandBody } from '../support/signSlackRequest';
import { startPortbot, type PortbotProcess } from '../support/portbotProcess';
import {
  freePort,
  killRedisServer,
  startRedisServer,
  type RedisServer,
} from '../support/redisServer';
import { AUDIT_TOKEN, startFaultServe, type FaultServe } from './faultServe';

/**
 * Issue 10 item 13: readiness and logs while Redis hangs or goes away; a bad export bound. The
 * Redis keeps nothing: this suite only takes it away and brings it back.
 */
const startRedis = (port: number) => startRedisServer(port, ['--save', '', '--appendonly', 'no']);

let f: FaultServe;
let redisPort: number;
let redisServer: RedisServer;
let serve: PortbotProcess;

beforeAll(async () => {
  f = await startFaultServe({ db: 15 });
  redisPort = await freePort();
  redisServer = await startRedis(redisPort);
  serve = await startPortbot(['serve'], {
    ...f.env,
    REDIS_URL: `redis://127.0.0.1:${redisPort}/0`,
  });
}, 60_000);
afterAll(async () => {
  if (redisServer?.child.pid) execFileSync('kill', ['-CONT', String(redisServer.child.pid)]);
  await serve?.kill();
  if (redisServer) await killRedisServer(redisServer);
  await f?.close();
}, 30_000);

async function readyz(): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${serve.port}/readyz`);
  return { status: res.status, body: await res.text(), ms: performance.now() - started };
}

/** Serve just started or Redis just came back: readiness may take a moment. */
async function readyzUntil(status: number): Promise<{ status: number }> {
  let r = await readyz();
  for (let i = 0; i < 40 && r.status !== status; i += 1) {
    await sleep(250);
    r = await readyz();
  }
  return r;
}

describe('Redis faults', () => {
  it('/readyz answers 503 within about a second while Redis is paused (SIGSTOP), 200 after', async () => {
    expect((await readyzUntil(200)).status).toBe(200);
    const pid = redisServer.child.pid ?? 0;
    execFileSync('kill', ['-STOP', String(pid)]);
    try {
      const paused = await readyz();
      console.log(`readyz with Redis paused: ${paused.status} in ${paused.ms.toFixed(0)} ms`);
      expect(paused.status).toBe(503);
      expect(JSON.parse(paused.body)).toMatchObject({ ok: false, checks: { redis: false } });
      expect(paused.ms).toBeLessThan(1500);
    } finally {
      execFileSync('kill', ['-CONT', String(pid)]);
    }
    expect((await readyzUntil(200)).status).toBe(200);
  }, 30_000);

  it('while Redis is paused alerts and Slack commands answer 503 quickly and nothing runs later', async () => {
    expect((await readyzUntil(200)).status).toBe(200);
    const queue = new Queue(DIAGNOSE_QUEUE, {
      connection: { port: redisPort },
      prefix: 'portbot',
    });
    const queued = async () => {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
      return Object.values(c).reduce((a, b) => a + b, 0);
    };
    const before = await queued();
    const base = `http://127.0.0.1:${serve.port}`;
    const pid = redisServer.child.pid ?? 0;
    execFileSync('kill', ['-STOP', String(pid)]);
    try {
      let started = performance.now();
      const alert = await fetch(`${base}/alerts/generic`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
        body: JSON.stringify({ host: 'lb-01', port: 8443, status: 'firing', summary: 'paused' }),
      });
      const alertMs = performance.now() - started;
      const body = slashCommandBody({
        text: 'check lb-01 8443',
        user_id: ALLOWED_USER,
        channel_id: ALERT_CHANNEL,
      });
      started = performance.now();
      const slack = await fetch(`${base}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...signSlackRequest(SIGNING_SECRET, body),
        },
        body,
      });
      const slackMs = performance.now() - started;
      console.log(
        `Redis paused: alert ${alert.status} in ${alertMs.toFixed(0)} ms, slack ${slack.status} in ${slackMs.toFixed(0)} ms`,
      );
      expect(alert.status).toBe(503);
      expect(alertMs).toBeLessThan(3000);
      expect(slack.status).toBe(503);
      expect(slackMs).toBeLessThan(3000);
    } finally {
      execFileSync('kill', ['-CONT', String(pid)]);
    }
    await sleep(2000);
    expect(await queued()).toBe(before);
    await queue.close();
  }, 30_000);

  it('a Redis outage logs one line per connection state change, no ioredis stacks', async () => {
    const before = serve.output().length;
    await killRedisServer(redisServer);
    await sleep(3000);
    redisServer = await startRedis(redisPort);
    let out = '';
    for (let i = 0; i < 40; i += 1) {
      out = serve.output().slice(before);
      if ((out.match(/redis connection restored/g) ?? []).length >= 2) break;
      await sleep(250);
    }
    expect(out).not.toContain('Unhandled error event');
    // two connections (state, queue): each says lost once and restored once, however many retries
    expect((out.match(/redis connection lost/g) ?? []).length).toBe(2);
    expect((out.match(/redis connection restored/g) ?? []).length).toBe(2);
    expect((await readyzUntil(200)).status).toBe(200);
  }, 30_000);
});

describe('audit export bounds', () => {
  it('since=999999999d is a 400 with a clear error, not an empty export', async () => {
    const res = await fetch(f.url('/audit/export?since=999999999d'), {
      headers: { authorization: `Bearer ${AUDIT_TOKEN}` },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'since "999999999d": too far back' });
  });
});
