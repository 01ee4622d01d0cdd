import type { Redis } from 'ioredis';
import { startLab, type Lab } from '../lab';
import { recordFigure } from '../support/faultFigures';
import {
  acceptedRootPosts,
  fire,
  postedAuditsPerJob,
  threadOf,
  waitForThreads,
} from '../support/faultRig';
import { startTestSlack, type TestSlack } from '../support/localSlack/startTestSlack';
import { startPortbot, type PortbotProcess } from '../support/portbotProcess';
import { ALERT_CHANNEL, serviceEnv } from '../support/serviceEnv';
import { connectTestRedis } from '../support/testRedis';

/**
 * SIGKILL the worker at each step of a diagnosis job, against real processes, Redis, the lab and
 * the local Slack (Slack's rate tiers on). The local Slack parks the worker's call at the step:
 *   A: root post in flight, never reaches Slack        → the next job posts it
 *   B: root post in flight, reaches Slack, not recorded → the next job adopts it (metadata search)
 *   C: evidence reply in flight, reaches Slack          → the next job adopts it (replies search)
 * Each incident ends with one root, one diagnosis on it, one evidence reply, one audit event per job.
 */
const DB = 5;
let lab: Lab;
let slack: TestSlack;
let redis: Redis;
const procs: PortbotProcess[] = [];

beforeAll(async () => {
  lab = await startLab({ keepalived: false });
  redis = await connectTestRedis(DB);
  slack = await startTestSlack({ autoCreateChannels: true });
  await Promise.all(['lb-01', 'lb-02', 'lb-03'].map((h) => lab.healthy(h)));
}, 180_000);

afterAll(async () => {
  for (const p of procs) await p.kill();
  await slack?.close();
  await redis?.quit();
  await lab?.stop();
}, 60_000);

const isRoot = (target: string) => (p: Record<string, unknown>) =>
  p.thread_ts === undefined && String(p.text).includes(target);

it('SIGKILL before the root, after the root before its record, during the evidence reply', async () => {
  const env = serviceEnv({ slackApiUrl: slack.url, redisDb: DB, inventory: lab.inventoryPath });
  const serve = await startPortbot(['serve'], env);
  const doomed = await startPortbot(['worker'], env);
  procs.push(serve, doomed);

  const a = slack.hold('chat.postMessage', isRoot('lb-01:80'));
  const b = slack.hold('chat.postMessage', isRoot('lb-02:80'));
  const c = slack.hold(
    'chat.postMessage',
    (p) => p.thread_ts !== undefined && String(p.text).includes('lb-03:80'),
  );
  await fire(serve.port, 'lb-01', 80);
  await fire(serve.port, 'lb-02', 80);
  await fire(serve.port, 'lb-03', 80);
  await Promise.all([a.arrived, b.arrived, c.arrived]);

  await doomed.kill();
  const killedAt = Date.now();
  a.drop();
  b.run();
  c.run();
  const rescuer = await startPortbot(['worker'], env);
  procs.push(rescuer);

  const targets = ['lb-01:80', 'lb-02:80', 'lb-03:80'];
  await waitForThreads(slack, targets, 120_000).catch((err: Error) => {
    throw new Error(`${err.message}\nrescuer:\n${rescuer.output()}`);
  });
  recordFigure('worker SIGKILL mid-post', 'time to complete threads', Date.now() - killedAt, 'ms');
  // Let a wrong second post or reply show up if one were coming.
  await new Promise((r) => setTimeout(r, 3000));

  for (const t of targets) {
    const view = threadOf(slack, t);
    expect({ t, roots: view.roots.length }).toEqual({ t, roots: 1 });
    expect({ t, replies: view.replies.length }).toEqual({ t, replies: 1 });
    expect({ t, rootPosts: acceptedRootPosts(slack, t) }).toEqual({ t, rootPosts: 1 });
    expect(view.roots[0]?.text).toContain('healthy');
    recordFigure(
      'worker SIGKILL mid-post',
      `messages in thread ${t}`,
      1 + view.replies.length,
      'msgs',
    );
  }
  // The adopted messages are the ones whose callers died: B's root and C's reply.
  const bRoot = threadOf(slack, 'lb-02:80').roots[0];
  expect(bRoot?.previousVersions.length).toBeGreaterThanOrEqual(1);
  expect(slack.messages(ALERT_CHANNEL)).toHaveLength(6);
  expect(rescuer.output().match(/adopted message of a dead claim/g)).toHaveLength(2);

  const audits = await postedAuditsPerJob(redis);
  expect(audits.size).toBe(3);
  for (const [job, n] of audits) expect({ job, n }).toEqual({ job, n: 1 });
  expect(await rescuer.stop()).toBe(0);
  expect(await serve.stop()).toBe(0);
}, 240_000);
