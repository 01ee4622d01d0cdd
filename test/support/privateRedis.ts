import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

export interface StartedRedis {
  child: ChildProcess;
  /** A client connected to it (closed by stop()). */
  redis: Redis;
  port: number;
  url: string;
  stop: () => Promise<void>;
}

/**
 * A real redis-server on a private port with its own directory, so no other test's Redis is
 * touched. `conf` is a config file (some settings, e.g. rename-command, are accepted only there).
 */
export async function startPrivateRedis(
  port: number,
  dir: string,
  args: string[],
  conf?: string,
): Promise<StartedRedis> {
  const confArgs = conf === undefined ? [] : [conf];
  const child = spawn(
    'redis-server',
    [...confArgs, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...args],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const stop = async (): Promise<void> => {
    if (!gone) child.kill();
    await exited;
  };
  for (let i = 0; i < 50; i++) {
    // A server that could not bind exits: never test against whatever else holds the port.
    if (gone) throw new Error(`redis-server on ${port} exited (port in use?)`);
    // A fresh client per attempt: a refused ioredis client keeps reconnecting on its own.
    const redis = new Redis({
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await redis.connect();
      await sleep(50);
      if (gone) {
        redis.disconnect();
        throw new Error(`redis-server on ${port} exited (port in use?)`);
      }
      return {
        child,
        redis,
        port,
        url: `redis://127.0.0.1:${port}`,
        stop: async () => {
          redis.disconnect();
          await stop();
        },
      };
    } catch {
      redis.disconnect();
      await sleep(100);
    }
  }
  await stop();
  throw new Error(`redis-server on ${port} did not start`);
}
