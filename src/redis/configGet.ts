import type { Redis } from 'ioredis';
import { ReplyError } from 'ioredis';

/**
 * A CONFIG GET that Redis refuses (CONFIG disabled or renamed, ACL) answers nothing instead of
 * throwing; a Redis that does not answer at all still throws, so callers can tell "persistence
 * unknown" from "Redis unreachable".
 */
export async function configGet(redis: Redis, name: string): Promise<unknown> {
  try {
    return await redis.call('CONFIG', 'GET', name);
  } catch (err) {
    if (err instanceof (ReplyError as new () => Error)) return undefined;
    throw err;
  }
}
