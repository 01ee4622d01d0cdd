import { spawn, type ChildProcess } from 'node:child_process';
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
 * there).
 */
export async function startRedisServer(
  port: number,
  args: string[],
  opts: { conf?: string } = {},
): Promise<RedisServer> {
  const confArgs = opts.conf === undefined ? [] : [opts.conf];
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
      await probe.quit();
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
