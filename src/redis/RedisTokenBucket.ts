import type { Redis } from 'ioredis';
import type { TokenBucket } from '../domain/TokenBucket';
import { runLuaScript } from './runLuaScript';

// KEYS[1] bucket hash; ARGV: tokens per ms, burst, maxWaitMs. Tokens may go below zero: each
// caller gets its own place in line and sleeps until then. Answers the wait, or -1 (refused).
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local h = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(h[1] or ARGV[2])
local at = tonumber(h[2] or now)
tokens = math.min(burst, tokens + (now - at) * rate)
local wait = 0
if tokens < 1 then wait = math.ceil((1 - tokens) / rate) end
if wait > tonumber(ARGV[3]) then return -1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + wait + 1000)
return wait
`;

const PREFIX = 'portbot:rate:';

export class RedisTokenBucket implements TokenBucket {
  constructor(private readonly redis: Redis) {}

  async reserve(
    key: string,
    rate: { perSecond: number; burst: number },
    maxWaitMs: number,
  ): Promise<number | null> {
    const wait = Number(
      await runLuaScript(
        this.redis,
        RESERVE,
        [PREFIX + key],
        [String(rate.perSecond / 1000), String(rate.burst), String(maxWaitMs)],
      ),
    );
    return wait < 0 ? null : wait;
  }
}
