import type { Redis } from 'ioredis';
import type { FencingLock } from '../ExecutionPorts';
import { runLuaScript } from '../../redis/runLuaScript';

const PREFIX = 'portbot:remediation:lock:';

// SET NX PX, then a token from a counter that is never reset: a later holder always has a
// larger token than any earlier one, even after the lock key expired.
const ACQUIRE = `
if redis.call('SET', KEYS[1], 'pending', 'NX', 'PX', ARGV[1]) == false then return 0 end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token, 'PX', ARGV[1])
return token`;

const HOLDS = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

/** The fencing lock (one remediation per HA group at a time) on Redis: `<prefix><scope>` plus `<prefix><scope>:fence`. */
export class RedisFencingLock implements FencingLock {
  constructor(private readonly redis: Redis) {}

  async acquire(scope: string, ttlMs: number): Promise<number | null> {
    const key = PREFIX + scope;
    const token = Number(
      await runLuaScript(this.redis, ACQUIRE, [key, `${key}:fence`], [`${ttlMs}`]),
    );
    return token > 0 ? token : null;
  }

  async holds(scope: string, token: number, ttlMs: number): Promise<boolean> {
    const r = await runLuaScript(this.redis, HOLDS, [PREFIX + scope], [`${token}`, `${ttlMs}`]);
    return Number(r) === 1;
  }

  async release(scope: string, token: number): Promise<void> {
    await runLuaScript(this.redis, RELEASE, [PREFIX + scope], [`${token}`]);
  }
}
