import type { Redis } from 'ioredis';

/**
 * QUIT needs a writable connection: on one that never became ready (serve stopping during
 * start-up, Redis unreachable) it throws, and the stop would end in that error instead of the
 * one that caused it. Such a connection is dropped instead.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
