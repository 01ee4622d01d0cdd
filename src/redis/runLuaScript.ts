import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

// A memo of SHA1(script text), not per-connection state: the hash of a constant text is the same
// for every client and every Redis, so one module-level table is safe to share.
const shas = new Map<string, string>();

/**
 * EVALSHA with a fall-back to EVAL when Redis does not know the script yet (first call, or after
 * a restart / SCRIPT FLUSH). Sending the script text with every alert cost a fifth of serve's
 * CPU in the alert-storm benchmark.
 */
export async function runLuaScript(
  redis: Redis,
  script: string,
  keys: string[],
  args: string[],
): Promise<unknown> {
  let sha = shas.get(script);
  if (sha === undefined) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return redis.eval(script, keys.length, ...keys, ...args);
  }
}
