import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

export { freePort } from './sshd/startTestSshd';

/** A redis-server child of the test on its own port (and, for persistence, its own --dir). */
export interface RedisServer {
  child: ChildProcess;
  port: number;
}

/**
 * Starts `redis-server [CONF] --port PORT ARGS…` and resolves once it accepts connections. A
 * server that exits first (the port was taken) is an error: a test never runs against a Redis it
 * did not start. `conf` is a config file (some settings, e.g. rename-command, are accepted only
 * there). `sentinel` runs it as a Sentinel (`redis-server CONF --sentinel`, CONF then required:
 * the Sentinel rewrites it).
 */
export async function startRedisServer(
  port: number,
  args: string[],
  opts: { conf?: string; sentinel?: boolean } = {},
): Promise<RedisServer> {
  const confArgs = [
    ...(opts.conf === undefined ? [] : [opts.conf]),
    ...(opts.sentinel ? ['--sentinel'] : []),
  ];
  const child = spawn(
    'redis-server',
    [...confArgs, '--port', String(port), '--bind', '127.0.0.1', ...args],
    { stdio: 'ignore' },
  );
  let gone = false;
  child.once('exit', () => (gone = true));
  for (let i = 0; i < 100; i += 1) {
    if (gone) throw new Error(`redis-server on ${port} exited (port in use?)`);
    // A fresh client per attempt: a refused ioredis client keeps reconnecting on its own.
    const probe = new Redis({
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      // Not QUIT: a Sentinel does not know the command.
      probe.disconnect();
      // Another Redis already on the port answers too: give ours the time to fail its bind.
      await sleep(50);
      if (!gone) return { child, port };
    } catch {
      probe.disconnect();
      await sleep(50);
    }
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server on ${port} did not start`);
}

/** SIGKILL (a crash: nothing flushed beyond what the fsync policy already wrote), then reaped. */
export async function killRedisServer(server: RedisServer): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGKILL');
  await exited;
}

/** `SHUTDOWN NOSAVE`: no RDB snapshot, but an enabled AOF is flushed and fsynced first. */
export async function shutdownRedisServer(server: RedisServer): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  const client = new Redis({
    port: server.port,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  // The server closes the connection instead of answering.
  await client.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
  client.disconnect();
  await exited;
}

export interface StartedRedis extends RedisServer {
  /** A client connected to it (closed by stop()). */
  redis: Redis;
  url: string;
  stop: () => Promise<void>;
}

/** startRedisServer in its own `--dir`, with a connected client and a stop() that reaps it. */
export async function startPrivateRedis(
  port: number,
  dir: string,
  args: string[],
  conf?: string,
): Promise<StartedRedis> {
  const server = await startRedisServer(
    port,
    ['--dir', dir, ...args],
    conf === undefined ? {} : { conf },
  );
  const exited = new Promise<void>((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) resolve();
    else server.child.once('exit', () => resolve());
  });
  const redis = new Redis({ port, maxRetriesPerRequest: 0, retryStrategy: () => null });
  await redis.ping();
  return {
    ...server,
    redis,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      redis.disconnect();
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill();
      await exited;
    },
  };
}

/** One master, its replicas and Sentinels monitoring it, all redis-server children on 127.0.0.1. */
export interface SentinelSet {
  name: string;
  master: RedisServer;
  replicas: RedisServer[];
  sentinels: RedisServer[];
  /** REDIS_SENTINELS for portbot: `127.0.0.1:P1,127.0.0.1:P2,…`. */
  sentinelList: string;
  /** host:port of the master the first answering Sentinel names. */
  currentMaster: () => Promise<string | null>;
  /** Every process, killed and reaped. */
  stop: () => Promise<void>;
}

/**
 * Starts a master and `replicaof` replicas (each in its own --dir with `data` args, e.g. AOF),
 * then Sentinels (`sentinel monitor NAME 127.0.0.1 MASTER quorum`, the given down-after and
 * failover timeouts), and resolves once the replicas are online and every Sentinel knows the
 * replicas and the other Sentinels (so a failover can be authorised).
 */
export async function startSentinelSet(opts: {
  name: string;
  dir: string;
  masterPort: number;
  replicaPorts: number[];
  sentinelPorts: number[];
  data: string[];
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
}): Promise<SentinelSet> {
  const started: RedisServer[] = [];
  const stop = async () => {
    for (const s of started) await killRedisServer(s);
  };
  try {
    const dataDir = (port: number) => {
      const d = join(opts.dir, `redis-${port}`);
      mkdirSync(d, { recursive: true });
      return d;
    };
    const master = await startRedisServer(opts.masterPort, [
      '--dir',
      dataDir(opts.masterPort),
      ...opts.data,
    ]);
    started.push(master);
    const replicas: RedisServer[] = [];
    for (const port of opts.replicaPorts) {
      const r = await startRedisServer(port, [
        '--dir',
        dataDir(port),
        ...opts.data,
        '--replicaof',
        '127.0.0.1',
        String(opts.masterPort),
      ]);
      started.push(r);
      replicas.push(r);
    }
    await until(`${replicas.length} replicas online`, async () => {
      const role = (await ask(opts.masterPort, ['ROLE'])) as unknown[];
      return Array.isArray(role[2]) && role[2].length === replicas.length;
    });
    const sentinels: RedisServer[] = [];
    for (const port of opts.sentinelPorts) {
      const conf = join(opts.dir, `sentinel-${port}.conf`);
      writeFileSync(
        conf,
        [
          `sentinel monitor ${opts.name} 127.0.0.1 ${opts.masterPort} ${opts.quorum}`,
          `sentinel down-after-milliseconds ${opts.name} ${opts.downAfterMs}`,
          `sentinel failover-timeout ${opts.name} ${opts.failoverTimeoutMs}`,
          `sentinel parallel-syncs ${opts.name} 1`,
          '',
        ].join('\n'),
      );
      const s = await startRedisServer(port, ['--dir', opts.dir], { conf, sentinel: true });
      started.push(s);
      sentinels.push(s);
    }
    await until('every Sentinel knows the replicas and the other Sentinels', async () => {
      for (const s of sentinels) {
        const known = (await ask(s.port, ['SENTINEL', 'sentinels', opts.name])) as unknown[];
        const seen = (await ask(s.port, ['SENTINEL', 'replicas', opts.name])) as unknown[];
        if (known.length !== sentinels.length - 1 || seen.length !== replicas.length) return false;
      }
      return true;
    });
    return {
      name: opts.name,
      master,
      replicas,
      sentinels,
      sentinelList: sentinels.map((s) => `127.0.0.1:${s.port}`).join(','),
      currentMaster: async () => {
        for (const s of sentinels) {
          if (s.child.exitCode !== null || s.child.signalCode !== null) continue;
          const addr = await ask(s.port, ['SENTINEL', 'get-master-addr-by-name', opts.name]).catch(
            () => null,
          );
          if (Array.isArray(addr)) return `${String(addr[0])}:${String(addr[1])}`;
        }
        return null;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** One command on a fresh connection (no retries). */
async function ask(port: number, command: string[]): Promise<unknown> {
  const client = new Redis({ port, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    const [name, ...args] = command;
    return await client.call(name ?? 'PING', ...args);
  } finally {
    client.disconnect();
  }
}

async function until(what: string, done: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(100);
  }
}
