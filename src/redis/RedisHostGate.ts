import type { Redis } from 'ioredis';
import type { HostGate } from '../domain/HostGate';
import { runLuaScript } from './runLuaScript';

const PREFIX = 'portbot:host:';

// KEYS[1] zset of job ids by lease end; ARGV: jobId, limit, leaseMs. A crashed worker's entries
// drop out when their lease ends.
const ENTER = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0
`;

export interface HostGateOptions {
  /** Jobs one host may hold worker slots for, across all workers. */
  slotsPerHost: number;
  /** Longest a diagnosis holds its slot (SSH connect + command timeouts, with margin). */
  slotLeaseMs: number;
  /** How long a host that timed out fails fast. */
  breakerMs: number;
}

export class RedisHostGate implements HostGate {
  constructor(
    private readonly redis: Redis,
    private readonly opts: HostGateOptions,
  ) {}

  async enter(host: string, jobId: string): Promise<boolean> {
    const ok = await runLuaScript(
      this.redis,
      ENTER,
      [`${PREFIX}${host}:slots`],
      [jobId, String(this.opts.slotsPerHost), String(this.opts.slotLeaseMs)],
    );
    return ok === 1;
  }

  async leave(host: string, jobId: string): Promise<void> {
    await this.redis.zrem(`${PREFIX}${host}:slots`, jobId);
  }

  async openForMs(host: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(`${PREFIX}${host}:breaker`));
  }

  async trip(host: string): Promise<void> {
    await this.redis.set(`${PREFIX}${host}:breaker`, '1', 'PX', this.opts.breakerMs);
  }
}
