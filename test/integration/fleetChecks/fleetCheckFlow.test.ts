import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { runOk } from '../../lab/run';
import { startSshdFleet, type SshdFleet } from '../../support/sshd/startSshdFleet';
import { startTestSlack, type TestSlack } from '../../support/localSlack/startTestSlack';
import type { StoredMessage } from '../../../src/localSlack/localSlackTypes';
import { startPortbot, type PortbotProcess } from '../../support/portbotProcess';
import { ALERT_CHANNEL, SIGNING_SECRET, serviceEnv } from '../../support/serviceEnv';
import { httpTransport, type SlackTransport } from '../../support/slackTransport';
import { connectTestRedis } from '../../support/testRedis';

/**
 * `check all` over 200 SSH hosts, shared by three real `portbot worker` processes as a BullMQ
 * flow (children of ≤ 25 hosts, the parent writes the summary). The hosts are real sshds, one
 * per loopback address (startSshdFleet): 200 lab namespaces with nginx each took over a minute
 * to build and tear down here and hold the machine-wide lab lock, while the flow under test
 * only needs many hosts that answer SSH and run the real probe. Each host's own sshd (LogLevel
 * DEBUG1) is the witness of how often portbot ran its probe there: one exec request per
 * diagnosis. Slack over signed HTTP only: the transport is not what this suite tests (the
 * two-mode service suite covers `check group:` end to end).
 */
const DB = 13;
const HOSTS = 200;
/** The hosts' loopback addresses: 127.65.7.1-200 (this suite's own; loopback needs no lab). */
const NET = '127.65.7';
const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
/** The second check posts in its own channel: the stand-in's 1 message/s per channel is not shared. */
const OTHER_CHANNEL = 'C0FLEET2';
let fleet: SshdFleet;
let standIn: TestSlack;
let redis: Redis;
let serve: PortbotProcess;
let workers: PortbotProcess[] = [];
let env: Record<string, string>;
let slack: SlackTransport;

function delta(after: Map<string, number>, before: Map<string, number>): number[] {
  return [...after].map(([h, n]) => n - (before.get(h) ?? 0));
}

/** Root-namespace pids holding TCP connections to fleet hosts' sshd (ss: no /proc walk of ours). */
async function sshClientPids(): Promise<Set<number>> {
  const out = await runOk(['ss', '-Htnp', 'dst', `${NET}.0/24`, 'dport', '=', `:${fleet.port}`]);
  return new Set([...out.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])));
}

async function startWorkers(): Promise<void> {
  workers = await Promise.all([0, 1, 2].map(() => startPortbot(['worker'], env, 60_000)));
}

const blocksText = (m: StoredMessage) => JSON.stringify(m.blocks ?? []);
const tops = (channel: string) => standIn.topLevelMessages(channel);

/** The one summary of a check over all fleet hosts: the root once it counts all of them. */
async function waitForSummary(channel: string, timeoutMs: number): Promise<StoredMessage> {
  return standIn.waitFor(
    () => tops(channel).find((t) => blocksText(t).includes(`${HOSTS} hosts`)),
    timeoutMs,
  );
}

/** Fleet-check parents (`fleet-FLEET-<n>`) BullMQ has completed. */
async function completedParents(): Promise<number> {
  const done = await redis.zrange('portbot:portbot-fleet-check:completed', '0', '-1');
  return done.filter((id) => /^fleet-FLEET-\d+$/.test(id)).length;
}

/** Waits for one more parent to complete: its summary and all its replies are posted. */
async function waitForParent(before: number): Promise<void> {
  const deadline = Date.now() + 90_000;
  while ((await completedParents()) === before && Date.now() < deadline)
    await new Promise((res) => setTimeout(res, 500));
  expect(await completedParents()).toBe(before + 1);
}

/** The thread under a summary: at most 20 replies (the worst hosts), each host once. */
function expectReplies(channel: string, root: StoredMessage): void {
  const replies = standIn.thread(channel, root.ts).replies;
  expect(replies).toHaveLength(20);
  const hosts = replies.map((m) => /fleet-\d{3}/.exec(m.text)?.[0]);
  expect(new Set(hosts).size).toBe(20);
}

beforeAll(async () => {
  const t0 = Date.now();
  fleet = await startSshdFleet({ count: HOSTS, net: NET });
  // Printed, not asserted: what 200 hosts cost this suite.
  console.log(`sshd fleet: ${fleet.hosts.length} hosts up in ${Date.now() - t0} ms`);
  redis = await connectTestRedis(DB);
  standIn = await startTestSlack({ autoCreateChannels: true });
  const dir = mkdtempSync(join(tmpdir(), 'portbot-fleet-'));
  const policy = join(dir, 'policy.yaml');
  // Two people: the second check is not held back by the first one's per-person cooldown.
  writeFileSync(
    policy,
    `commands:\n  channels: ["${ALERT_CHANNEL}", "${OTHER_CHANNEL}"]\n  users: ["${ALICE}", "${BOB}"]\n`,
  );
  env = serviceEnv({
    slackApiUrl: standIn.url,
    redisDb: DB,
    inventory: fleet.inventoryPath,
    extra: {
      PORTBOT_POLICY: policy,
      // Three chunks at a time per worker: no one worker can hold all eight of a 200-host check.
      // Locks keep their defaults (10 s, stalled check every 5 s): shorter ones lapse on this
      // busy 2-core machine while 75 SSH handshakes run, and a lapsed lock re-runs a chunk.
      PORTBOT_WORKER_CONCURRENCY: '3',
    },
  });
  serve = await startPortbot(['serve'], env, 60_000);
  slack = httpTransport(() => serve.port, SIGNING_SECRET);
  await startWorkers();
}, 240_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await serve?.stop();
  await standIn?.close();
  await redis?.quit();
  await fleet?.stop();
}, 120_000);

it('3 workers, check all over 200 hosts: every host diagnosed exactly once, by more than one worker, one summary', async () => {
  standIn.reset();
  const before = fleet.execCounts();
  const parents = await completedParents();
  const t0 = Date.now();
  const r = await slack.command({
    text: 'check all 80',
    user_id: ALICE,
    channel_id: ALERT_CHANNEL,
  });
  expect(r.status).toBe(200);
  const summary = await waitForSummary(ALERT_CHANNEL, 90_000);
  // Printed, not asserted: how long 200 hosts took on three workers here.
  console.log(`check all, ${HOSTS} hosts, 3 workers: summary after ${Date.now() - t0} ms`);
  // The pooled connections each worker keeps to the hosts it diagnosed (idle timeout 60 s).
  const pids = await sshClientPids();
  const workerPids = new Set(workers.map((w) => w.child.pid));
  expect([...pids].every((p) => workerPids.has(p))).toBe(true);
  expect(pids.size).toBeGreaterThanOrEqual(2);
  await waitForParent(parents);
  expect(tops(ALERT_CHANNEL)).toHaveLength(1);
  expect(blocksText(summary)).toContain(`all port 80 — ${HOSTS} hosts`);
  expect(blocksText(summary)).not.toContain('unreachable');
  expectReplies(ALERT_CHANNEL, summary);
  const per = delta(fleet.execCounts(), before);
  expect(per).toHaveLength(HOSTS);
  expect(per.filter((n) => n !== 1)).toEqual([]);
  // Eight children, each completed (none failed, none left): BullMQ agrees with the sshds.
  const done = await redis.zrange('portbot:portbot-fleet-check:completed', '0', '-1');
  expect(done.filter((id) => id.startsWith('fleet-FLEET-1-chunk-')).sort()).toEqual(
    Array.from({ length: HOSTS / 25 }, (_, i) => `fleet-FLEET-1-chunk-${i}`).sort(),
  );
  expect(await redis.zcard('portbot:portbot-fleet-check:failed')).toBe(0);
}, 150_000);

it('a worker SIGKILLed mid-chunk: its chunks go to the others, the check completes with one summary', async () => {
  // Fresh workers: no pooled connection, so each diagnosis must connect to a host's sshd.
  await Promise.all(workers.map((w) => w.stop()));
  await startWorkers();
  const sshds = fleet.hosts.map((h) => h.pid);
  const before = fleet.execCounts();
  const parents = await completedParents();
  // Every sshd stopped: the kernel accepts connections, no SSH banner comes back, so every
  // worker that took a chunk holds its connections in the middle of it.
  for (const pid of sshds) process.kill(pid, 'SIGSTOP');
  let victim: PortbotProcess | undefined;
  try {
    const r = await slack.command({
      text: 'check all 80',
      user_id: BOB,
      channel_id: OTHER_CHANNEL,
    });
    expect(r.status).toBe(200);
    const deadline = Date.now() + 20_000;
    while (victim === undefined && Date.now() < deadline) {
      const pids = await sshClientPids();
      victim = workers.find((w) => w.child.pid !== undefined && pids.has(w.child.pid));
      if (victim === undefined) await new Promise((res) => setTimeout(res, 100));
    }
    expect(victim).toBeDefined();
    await victim?.kill();
  } finally {
    for (const pid of sshds) process.kill(pid, 'SIGCONT');
  }
  const summary = await waitForSummary(OTHER_CHANNEL, 90_000);
  await waitForParent(parents);
  expect(tops(OTHER_CHANNEL)).toHaveLength(1);
  expect(blocksText(summary)).not.toContain('unreachable');
  expectReplies(OTHER_CHANNEL, summary);
  // The killed worker never got past the SSH banner: no host saw its probe twice.
  const per = delta(fleet.execCounts(), before);
  expect(per.filter((n) => n !== 1)).toEqual([]);
  const survivors = workers.filter((w) => w !== victim);
  expect(survivors.every((w) => w.child.exitCode === null)).toBe(true);
  expect(await redis.zcard('portbot:portbot-fleet-check:failed')).toBe(0);
}, 150_000);
