import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Redis } from 'ioredis';
import { startLocalSlack, type LocalSlack } from '../../../src/localSlack/startLocalSlack';
import { startLab, type Lab } from '../../lab';
import { startPortbot, type PortbotProcess } from '../../support/portbotProcess';
import { ALERT_CHANNEL, postAlert, serviceEnv } from '../../support/serviceEnv';
import { connectTestRedis } from '../../support/testRedis';

/** Several serve and worker processes on one Redis: no double posts, no lost jobs. */
const UNLIMITED_SLACK = {
  PORTBOT_SLACK_PER_CHANNEL_PER_S: '100',
  PORTBOT_SLACK_UPDATES_PER_MIN: '6000',
};
let lab: Lab;
let standIn: LocalSlack;
const redis: Redis[] = [];
const procs: PortbotProcess[] = [];

beforeAll(async () => {
  lab = await startLab({ keepalived: false });
  // Exactly-once across processes is the subject here, not Slack's limits (test/fault/ has those):
  // a 50-incident burst at Slack's one message per second would take minutes.
  standIn = await startLocalSlack({ autoCreateChannels: true, enforceRateLimits: false });
}, 180_000);

afterAll(async () => {
  for (const p of procs) await p.kill();
  await standIn?.close();
  for (const r of redis) await r.quit();
  await lab?.stop();
}, 60_000);

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const tops = () => standIn.topLevelMessages(ALERT_CHANNEL);
const isDiagnosed = (text: string) => !text.includes('Diagnosing') && !text.includes('diagnosing');

it('two serve and two worker processes: 50 incidents → exactly 50 threads and 50 diagnoses', async () => {
  redis.push(await connectTestRedis(13));
  standIn.reset();
  await Promise.all(['lb-01', 'lb-02', 'lb-03', 'lb-04'].map((h) => lab.healthy(h)));
  const env = serviceEnv({
    slackApiUrl: standIn.url,
    redisDb: 13,
    inventory: lab.inventoryPath,
    extra: UNLIMITED_SLACK,
  });
  const [s1, s2, w1, w2] = await Promise.all([
    startPortbot(['serve'], env),
    startPortbot(['serve'], env),
    startPortbot(['worker'], env),
    startPortbot(['worker'], env),
  ]);
  procs.push(s1, s2, w1, w2);
  const hosts = ['lb-01', 'lb-02', 'lb-03', 'lb-04'];
  const incidents = Array.from({ length: 50 }, (_, i) => ({
    host: hosts[i % 4]!,
    port: 8001 + Math.floor(i / 4),
  }));
  // every incident fired twice, once at each serve process, interleaved
  const answers = await Promise.all(
    incidents.flatMap((inc, i) => [
      postAlert(
        (i % 2 ? s1 : s2).port,
        { ...inc, status: 'firing', summary: 'x' },
        undefined,
        'generic',
      ),
      postAlert(
        (i % 2 ? s2 : s1).port,
        { ...inc, status: 'firing', summary: 'x' },
        undefined,
        'generic',
      ),
    ]),
  );
  expect(answers.every((a) => a.status === 202)).toBe(true);
  await standIn.waitFor(() => {
    const done = tops().filter((m) => isDiagnosed(m.text));
    return done.length >= 50 && done.every((m) => (m.reply_count ?? 0) >= 1) ? true : undefined;
  }, 90_000);
  await new Promise((r) => setTimeout(r, 1500));
  const roots = tops();
  expect(roots).toHaveLength(50);
  const targets = new Set(roots.map((m) => /lb-0\d:\d+/.exec(m.text)?.[0]));
  expect(targets.size).toBe(50);
  expect(roots.every((m) => m.reply_count === 1)).toBe(true);
  // 50 roots + 50 evidence replies, nothing posted twice
  expect(standIn.calls('chat.postMessage').filter((c) => c.ok)).toHaveLength(100);
  for (const p of [s1, s2, w1, w2]) expect(await p.stop()).toBe(0);
}, 180_000);

it('a worker killed with SIGKILL mid-diagnosis: the other finishes it, one result in the thread', async () => {
  redis.push(await connectTestRedis(14));
  standIn.reset();
  // The operator's configTest runs inside the probe batch: a slow one keeps the job busy long enough.
  const inv = parse(readFileSync(lab.inventoryPath, 'utf8')) as {
    hosts: { name: string; lb?: Record<string, unknown> }[];
  };
  const host = inv.hosts.find((h) => h.name === 'lb-02')!;
  host.lb = { ...host.lb, commands: { configTest: 'sleep 6; nginx -t' } };
  const slowInventory = join(lab.dir, 'inventory-slow.yaml');
  writeFileSync(slowInventory, stringify(inv));
  await lab.rogueListener('lb-02');
  const env = serviceEnv({
    slackApiUrl: standIn.url,
    redisDb: 14,
    inventory: slowInventory,
    extra: { PORTBOT_JOB_LOCK_MS: '2000', ...UNLIMITED_SLACK },
  });
  const serve = await startPortbot(['serve'], env);
  const doomed = await startPortbot(['worker'], env);
  procs.push(serve, doomed);
  await postAlert(
    serve.port,
    { host: 'lb-02', port: 80, status: 'firing', summary: 'x' },
    undefined,
    'generic',
  );
  // the root "diagnosing…" message is up and the probe batch is running on lb-02: kill now
  const root = await standIn.waitFor(() => tops().find((m) => m.text.includes('lb-02:80')), 20_000);
  await waitUntil(
    async () => (await lab.exec('lb-02', ['pgrep', '-f', 'sleep 6'])).rc === 0,
    20_000,
  );
  await doomed.kill();
  const rescuer = await startPortbot(['worker'], env);
  procs.push(rescuer);
  const done = await standIn
    .waitFor(() => {
      const m = standIn.message(ALERT_CHANNEL, root.ts);
      return m?.text.includes('foreign-listener') && (m.reply_count ?? 0) >= 1 ? m : undefined;
    }, 60_000)
    .catch((err: Error) => {
      throw new Error(
        `${err.message}\nroot: ${JSON.stringify(standIn.message(ALERT_CHANNEL, root.ts)?.text)}\nrescuer:\n${rescuer.output()}`,
      );
    });
  await new Promise((r) => setTimeout(r, 2000));
  expect(tops()).toHaveLength(1);
  expect(standIn.thread(ALERT_CHANNEL, done.ts).replies).toHaveLength(1);
  expect(await rescuer.stop()).toBe(0);
  expect(await serve.stop()).toBe(0);
}, 120_000);
