import type { Redis } from 'ioredis';
import { startLab, type Lab } from '../lab';
import { recordFigure } from '../support/faultFigures';
import { fire, threadOf, waitForThreads } from '../support/faultRig';
import { startTestSlack, type TestSlack } from '../support/localSlack/startTestSlack';
import { startPortbot, type PortbotProcess } from '../support/portbotProcess';
import { serviceEnv } from '../support/serviceEnv';
import { connectTestRedis } from '../support/testRedis';

/**
 * lb-01's sshd is stopped (SIGSTOP): connections are accepted by the kernel and never answered.
 * Many incidents on it must not delay the healthy hosts' (per-host slot limit), the hung ones end
 * fast once one timed out (circuit breaker), and SIGTERM does not wait for them (drain deadline).
 * Slack's limits are off here: this is about worker slots, not the channel's posting rate.
 */
const DB = 8;
let lab: Lab;
let slack: TestSlack;
let redis: Redis;
let sshdPid = 0;
const procs: PortbotProcess[] = [];

beforeAll(async () => {
  lab = await startLab({ keepalived: false });
  redis = await connectTestRedis(DB);
  slack = await startTestSlack({ autoCreateChannels: true, enforceRateLimits: false });
  await Promise.all(['lb-01', 'lb-02', 'lb-03', 'lb-04'].map((h) => lab.healthy(h)));
  sshdPid = await lab.sshdPid('lb-01');
}, 180_000);

afterAll(async () => {
  if (sshdPid) process.kill(sshdPid, 'SIGCONT');
  for (const p of procs) await p.kill();
  await slack?.close();
  await redis?.quit();
  await lab?.stop();
}, 60_000);

const env = () =>
  serviceEnv({
    slackApiUrl: slack.url,
    redisDb: DB,
    inventory: lab.inventoryPath,
    extra: { PORTBOT_SLACK_PER_CHANNEL_PER_S: '100', PORTBOT_SLACK_UPDATES_PER_MIN: '6000' },
  });

it('22 incidents on a hung host do not delay healthy hosts; the hung ones fail fast', async () => {
  const serve = await startPortbot(['serve'], env());
  const worker = await startPortbot(['worker'], env());
  procs.push(serve, worker);
  process.kill(sshdPid, 'SIGSTOP');
  const hung = Array.from({ length: 22 }, (_, i) => `lb-01:${8100 + i}`);
  for (let i = 0; i < hung.length; i++) await fire(serve.port, 'lb-01', 8100 + i);
  const firedHealthy = Date.now();
  const healthy = ['lb-02:80', 'lb-03:80', 'lb-04:80'];
  for (const t of healthy) await fire(serve.port, t.split(':')[0]!, 80);
  await waitForThreads(slack, healthy, 30_000);
  const healthyMs = Date.now() - firedHealthy;
  recordFigure('hung host (SIGSTOP sshd)', 'healthy incidents complete after', healthyMs, 'ms');
  expect(healthyMs).toBeLessThan(10_000);

  await waitForThreads(slack, hung, 90_000);
  const hungMs = Date.now() - firedHealthy;
  recordFigure(
    'hung host (SIGSTOP sshd)',
    `last of ${hung.length} hung threads after`,
    hungMs,
    'ms',
  );
  const roots = hung.map((t) => threadOf(slack, t).roots);
  expect(roots.every((r) => r.length === 1)).toBe(true);
  expect(roots.every((r) => r[0]!.text.includes('unreachable'))).toBe(true);
  expect(roots.filter((r) => r[0]!.text.includes('circuit breaker')).length).toBeGreaterThan(10);
  expect(await worker.stop()).toBe(0);
  expect(await serve.stop()).toBe(0);
}, 240_000);

it('SIGTERM with jobs stuck on the hung host: exits 0 within the drain deadline', async () => {
  await redis.del('portbot:host:lb-01:breaker');
  const serve = await startPortbot(['serve'], env());
  const worker = await startPortbot(['worker'], env());
  procs.push(serve, worker);
  for (let i = 0; i < 4; i++) await fire(serve.port, 'lb-01', 8200 + i);
  // the first two jobs are connecting to lb-01 (5 s connect timeout) when SIGTERM comes
  await new Promise((r) => setTimeout(r, 1500));
  const termAt = Date.now();
  expect(await worker.stop()).toBe(0);
  const drainMs = Date.now() - termAt;
  recordFigure('hung host (SIGSTOP sshd)', 'worker exit after SIGTERM', drainMs, 'ms');
  expect(drainMs).toBeLessThan(25_000);
  expect(await serve.stop()).toBe(0);
}, 120_000);
