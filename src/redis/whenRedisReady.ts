import type { Redis } from 'ioredis';

/**
 * Start-up checks (persistence) must not race the first connect: with no offline queue a
 * command sent before `ready` fails at once and the check would say "unknown". Waits for
 * `ready` at most `timeoutMs`, and never throws: a Redis that is down is /readyz's business.
 */
export async function whenRedisReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise<boolean>((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.on('ready', onReady);
  });
}
