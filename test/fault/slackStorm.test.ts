import type { Redis } from 'ioredis';
import { startLab, type Lab } from '../lab';
import { recordFigure } from '../support/faultFigures';
import { acceptedRootPosts, fire, threadOf, waitForThreads } from '../support/faultRig';
import { startTestSlack, type TestSlack } from '../support/localSlack/startTestSlack';
import { startPortbot, type PortbotProcess } from '../support/portbotProcess';
import { serviceEnv } from '../support/serviceEnv';
import { connectTestRedis } from '../support/testRedis';

/**
 * An alert storm over many incidents, two workers, the local Slack enforcing Slack's tiers
 * (chat.postMessage ~1/s per channel, chat.update Tier 3): portbot's shared limiter keeps every
 * call inside them (no 429) and no message is lost.
 */
const DB = 7;
const INCIDENTS = 12;
let lab: Lab;
let slack: TestSlack;
let redis: Redis;
const procs: PortbotProcess[] = [];

beforeAll(async () => {
  lab = await startLab({ keepalived: false });
  redis = await connectTestRedis(DB);
  slack = await startTestSlack({ autoCreateChannels: true });
  await Promise.all(['lb-01', 'lb-02', 'lb-03', 'lb-04'].map((h) => lab.healthy(h)));
}, 180_000);

afterAll(async () => {
  for (const p of procs) await p.kill();
  await slack?.close();
  await redis?.quit();
  await lab?.stop();
}, 60_000);

it(`${INCIDENTS} incidents, each alert repeated 10 times, within Slack's limits`, async () => {
  const env = serviceEnv({ slackApiUrl: slack.url, redisDb: DB, inventory: lab.inventoryPath });
  const serve = await startPortbot(['serve'], env);
  const workers = await Promise.all([startPortbot(['worker'], env), startPortbot(['worker'], env)]);
  procs.push(serve, ...workers);
  const hosts = ['lb-01', 'lb-02', 'lb-03', 'lb-04'];
  const targets = Array.from({ length: INCIDENTS }, (_, i) => ({
    host: hosts[i % 4]!,
    port: 9001 + Math.floor(i / 4),
  }));
  const started = Date.now();
  for (let round = 0; round < 10; round++)
    await Promise.all(targets.map((t) => fire(serve.port, t.host, t.port)));
  const names = targets.map((t) => `${t.host}:${t.port}`);
  await waitForThreads(slack, names, 120_000);
  recordFigure(
    'alert storm',
    `${INCIDENTS} incidents to complete threads`,
    Date.now() - started,
    'ms',
  );
  await new Promise((r) => setTimeout(r, 5000));

  for (const t of names) {
    const view = threadOf(slack, t);
    expect({ t, roots: view.roots.length, replies: view.replies.length }).toEqual({
      t,
      roots: 1,
      replies: 1,
    });
    expect({ t, posts: acceptedRootPosts(slack, t) }).toEqual({ t, posts: 1 });
  }
  const calls = slack.calls();
  const limited = calls.filter((c) => c.status === 429);
  recordFigure('alert storm', '429 answers from Slack', limited.length, 'calls');
  recordFigure('alert storm', 'chat.update calls', slack.calls('chat.update').length, 'calls');
  expect(limited).toEqual([]);
  // Root refreshes coalesce: far fewer updates than the 120 alerts.
  expect(slack.calls('chat.update').length).toBeLessThan(INCIDENTS * 4);
  for (const w of workers) expect(await w.stop()).toBe(0);
  expect(await serve.stop()).toBe(0);
}, 240_000);
