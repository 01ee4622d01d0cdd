import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { recordFigure } from '../support/faultFigures';
import { acceptedRootPosts, fire, names, threadOf, waitForThreads } from '../support/faultRig';
import { startTestSlack, type TestSlack } from '../support/localSlack/startTestSlack';
import { startPortbot, type PortbotProcess } from '../support/portbotProcess';
import { serviceEnv } from '../support/serviceEnv';
import { connectTestRedis } from '../support/testRedis';

/**
 * A worker frozen (SIGSTOP) with jobs in flight for longer than its job locks and post leases,
 * while a second worker takes the jobs over, then resumed (SIGCONT). The resumed worker must
 * not post what the other one owns: one root and one evidence reply per incident, no delete.
 * No lab: the hosts point at 127.0.0.x:1, so SSH is refused at once and each job posts an
 * "unreachable" diagnosis.
 */
const DB = 9;
let slack: TestSlack;
let redis: Redis;
const procs: PortbotProcess[] = [];
let stoppedPid: number | undefined;

beforeAll(async () => {
  redis = await connectTestRedis(DB);
  slack = await startTestSlack({ autoCreateChannels: true, enforceRateLimits: false });
});
afterAll(async () => {
  if (stoppedPid !== undefined) process.kill(stoppedPid, 'SIGCONT');
  for (const p of procs) await p.kill();
  await slack?.close();
  await redis?.quit();
}, 60_000);

function unreachableInventory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'portbot-paused-'));
  writeFileSync(join(dir, 'id_ed25519'), 'not a real key');
  writeFileSync(join(dir, 'known_hosts'), '');
  const hosts = [1, 2, 3, 4].flatMap((i) => [
    `  - name: lb-0${i}`,
    `    address: 127.0.0.${20 + i}`,
    '    port: 1',
    '    lb: { kind: nginx }',
  ]);
  const lines = ['defaults:', '  user: root', '  privateKeyPath: ./id_ed25519'];
  lines.push('  knownHostsPath: ./known_hosts', 'hosts:', ...hosts, '');
  writeFileSync(join(dir, 'inventory.yaml'), lines.join('\n'));
  return join(dir, 'inventory.yaml');
}

it('SIGSTOP a worker mid-burst past its leases, a second takes over, SIGCONT: nothing twice', async () => {
  const env = serviceEnv({
    slackApiUrl: slack.url,
    redisDb: DB,
    inventory: unreachableInventory(),
    extra: { PORTBOT_SLACK_PER_CHANNEL_PER_S: '50', PORTBOT_SLACK_UPDATES_PER_MIN: '6000' },
  });
  const serve = await startPortbot(['serve'], env);
  procs.push(serve);
  const frozen = await startPortbot(['worker'], env);
  procs.push(frozen);
  const targets = Array.from({ length: 12 }, (_, i) => `lb-0${(i % 4) + 1}:${13000 + i}`);
  for (const t of targets) {
    const [host, port] = t.split(':');
    await fire(serve.port, host ?? '', Number(port));
  }
  // Mid-burst: some roots posted, some jobs between their claim and their post.
  await new Promise((r) => setTimeout(r, 300));
  stoppedPid = frozen.child.pid;
  process.kill(frozen.child.pid ?? 0, 'SIGSTOP');
  const rescuer = await startPortbot(['worker'], env);
  procs.push(rescuer);
  // Past the 30 s job lock and post lease, so the rescuer owns every job the frozen one held.
  await new Promise((r) => setTimeout(r, 35_000));
  process.kill(frozen.child.pid ?? 0, 'SIGCONT');
  stoppedPid = undefined;
  const resumedAt = Date.now();
  await waitForThreads(slack, targets, 90_000);
  recordFigure(
    'worker SIGSTOP 35 s',
    'threads complete after SIGCONT',
    Date.now() - resumedAt,
    'ms',
  );
  // Give the resumed worker time to try whatever it still had in hand.
  await new Promise((r) => setTimeout(r, 10_000));

  const evidencePosts = (t: string) =>
    slack
      .calls('chat.postMessage')
      .filter((c) => c.ok && c.params.thread_ts !== undefined && names(String(c.params.text), t))
      .length;
  const perTarget = targets.map((t) => {
    const v = threadOf(slack, t);
    return {
      t,
      roots: v.roots.length,
      rootPosts: acceptedRootPosts(slack, t),
      replies: v.replies.length,
      replyPosts: evidencePosts(t),
    };
  });
  const ok = { roots: 1, rootPosts: 1, replies: 1, replyPosts: 1 };
  expect(perTarget).toEqual(targets.map((t) => ({ t, ...ok })));
  expect(slack.calls('chat.delete')).toEqual([]);
  expect(frozen.output()).not.toContain('posted past an expired lease');
  recordFigure(
    'worker SIGSTOP 35 s',
    'duplicate posts deleted',
    slack.calls('chat.delete').length,
    'count',
  );
}, 240_000);
