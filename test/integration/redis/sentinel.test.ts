import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { auditCommand } from '../../../src/cli/auditCommand';
import { redisChecks } from '../../../src/doctor/redisChecks';
import { captureIo } from '../../support/captureIo';
import type { RedisEndpoint } from '../../../src/domain/RedisEndpoint';
import type { Log } from '../../../src/domain/Log';
import { probeRedis } from '../../../src/redis/probeRedis';
import { redisForQueue, redisForRequests } from '../../../src/redis/redisConnection';
import { RedisReplicaWait } from '../../../src/redis/RedisReplicaWait';
import {
  freePort,
  killRedisServer,
  startSentinelSet,
  type SentinelSet,
} from '../../support/redisServer';

/**
 * The Sentinel side of portbot's Redis adapters against real redis-server processes on
 * 127.0.0.1: one master, one replica, three Sentinels. The doctor's probe names the master the
 * Sentinels agree on; WAIT confirms a write once the replica has it, refuses while the replica
 * is stopped, and after a failover a connection lands on the promoted replica by itself.
 */
const NAME = 'portbot-it';
let set: SentinelSet;
let endpoint: Extract<RedisEndpoint, { kind: 'sentinel' }>;
const dir = mkdtempSync(join(tmpdir(), 'portbot-sentinel-it-'));
const opened: Redis[] = [];
const warned: string[] = [];
const log: Log = {
  debug: () => undefined,
  info: () => undefined,
  warn: (_data: object, msg: string) => {
    warned.push(msg);
  },
  error: () => undefined,
};

beforeAll(async () => {
  const ports = [await freePort(), await freePort(), await freePort(), await freePort()];
  set = await startSentinelSet({
    name: NAME,
    dir,
    masterPort: ports[0] ?? 0,
    replicaPorts: [ports[1] ?? 0],
    sentinelPorts: [ports[2] ?? 0, ports[3] ?? 0, await freePort()],
    data: ['--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
    quorum: 2,
    downAfterMs: 1000,
    failoverTimeoutMs: 5000,
  });
  endpoint = {
    kind: 'sentinel',
    url: 'redis://127.0.0.1/0',
    sentinels: set.sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
    name: NAME,
  };
}, 60_000);

afterAll(async () => {
  for (const c of opened) c.disconnect();
  await set?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A connection of portbot's, once connected (request connections queue nothing before). */
async function open(r: Redis): Promise<Redis> {
  r.on('error', () => undefined);
  opened.push(r);
  if (r.status !== 'ready') await new Promise((resolve) => r.once('ready', resolve));
  return r;
}

it('the doctor names the master every Sentinel names, and its replica', async () => {
  const facts = await probeRedis(endpoint, 2000);
  const checks = redisChecks(
    { variable: 'REDIS_SENTINELS', url: 'sentinels', queue: true, audit: true },
    facts,
  );
  const master = `127.0.0.1:${set.master.port}`;
  expect(checks.map((c) => [c.check, c.status])).toEqual([
    ['redis.reachable', 'ok'],
    ['redis.persistence', 'ok'],
    ['redis.maxmemory-policy', 'ok'],
    ['redis.sentinel', 'ok'],
  ]);
  expect(checks[0]?.detail).toMatch(
    new RegExp(`^Redis \\d+\\.\\d+\\.\\d+ at ${master}, master of '${NAME}'$`),
  );
  expect(checks[3]?.detail).toBe(
    `3 of 3 Sentinels name ${master} as master of '${NAME}'; 1 replica connected`,
  );
});

it('a wrong master name: unreachable, with what ioredis says', async () => {
  const facts = await probeRedis({ ...endpoint, name: 'no-such-master' }, 1000);
  if (facts.reachable) throw new Error('reached a master the Sentinels do not monitor');
  expect(facts.error).toMatch(/sentinel|master/i);
});

it('portbot audit reads the stream on the master the Sentinels name', async () => {
  const env = { REDIS_SENTINELS: set.sentinelList, REDIS_SENTINEL_NAME: NAME };
  const io = captureIo(env);
  expect(await auditCommand(['verify'], io)).toBe(0);
  expect(io.out.join('')).toBe('audit log ok: empty');
  await expect(
    auditCommand(['verify'], captureIo({ ...env, REDIS_SENTINEL_NAME: 'no-such-master' })),
  ).rejects.toThrow(/cannot reach the audit Redis \(REDIS_SENTINELS\)/);
});

it('WAIT: confirmed once the replica has the write; refused while the replica is stopped', async () => {
  const redis = await open(redisForRequests(endpoint, 2000));
  const wait = new RedisReplicaWait([redis], { replicas: 1, timeoutMs: 300, log });
  await redis.set('sentinel-it:a', '1');
  const mark = wait.mark();
  await redis.set('sentinel-it:b', '2');
  expect(await wait.confirm(mark)).toEqual({ confirmed: true, replicas: 1, wanted: 1 });

  const replica = set.replicas[0]?.child;
  replica?.kill('SIGSTOP');
  try {
    await redis.set('sentinel-it:c', '3');
    expect(await wait.confirm(wait.mark())).toEqual({
      confirmed: false,
      reason: '0 of 1 replicas confirmed within 300 ms',
    });
  } finally {
    replica?.kill('SIGCONT');
  }
});

it('failover: connections move to the promoted replica; a write from before is not confirmed', async () => {
  const queue = await open(redisForQueue(endpoint));
  const requests = await open(redisForRequests(endpoint, 2000));
  const wait = new RedisReplicaWait([requests], { replicas: 1, timeoutMs: 300, log });
  await queue.set('sentinel-it:before', 'x');
  await requests.ping();
  const mark = wait.mark();
  const oldMaster = `127.0.0.1:${set.master.port}`;
  const promoted = `127.0.0.1:${set.replicas[0]?.port ?? 0}`;

  await killRedisServer(set.master);
  // The queue connection waits in its offline queue through the failover: this resolves on
  // the promoted replica, which had the key from before.
  const read = queue.get('sentinel-it:before');
  const deadline = Date.now() + 30_000;
  while ((await set.currentMaster()) === oldMaster) {
    if (Date.now() > deadline) throw new Error('no failover within 30 s');
    await sleep(100);
  }
  expect(await set.currentMaster()).toBe(promoted);
  expect(await read).toBe('x');
  await queue.set('sentinel-it:after', 'y');

  // The request connection reconnected meanwhile: what it wrote before may be lost, so no.
  while (requests.status !== 'ready') await sleep(50);
  expect(await wait.confirm(mark)).toEqual({
    confirmed: false,
    reason: 'the Redis connection was re-established meanwhile',
  });
  // The promoted master has no replica left: alerts are confirmed on its AOF alone, said once.
  await requests.set('sentinel-it:alone', 'z');
  expect(await wait.confirm(wait.mark())).toEqual({ confirmed: true, replicas: 0, wanted: 0 });
  expect(warned.filter((m) => /fewer redis replicas connected/.test(m))).toHaveLength(1);

  const checks = redisChecks(
    { variable: 'REDIS_SENTINELS', url: 'sentinels', queue: true, audit: true },
    await probeRedis(endpoint, 2000),
  );
  expect(checks[3]).toMatchObject({
    check: 'redis.sentinel',
    status: 'warn',
    detail: `3 of 3 Sentinels name ${promoted} as master of '${NAME}'; 0 replicas connected: a failover has no replica to promote`,
  });
}, 60_000);
