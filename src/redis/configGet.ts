import type { Redis } from 'ioredis';

/** A CONFIG GET that fails (CONFIG disabled or renamed, ACL) answers nothing instead of throwing. */
export async function configGet(redis: Redis, name: string): Promise<unknown> {
  try {
    return await redis.call('CONFIG', 'GET', name);
  } catch {
    return undefined;
  }
}
