import type { Redis } from 'ioredis';
import type { PostSlot } from '../../domain/PostSlot';
import { RedisPostSlot } from '../../redis/RedisPostSlot';
import type { RiskMark } from '../diffRisks';
import type { SweepStore } from '../SweepStore';
import { RiskMarkListSchema } from './RiskMarkSchema';

/** A digest's post record outlives any retry of its job. */
const DIGEST_TTL_S = 7 * 24 * 3600;

/** SweepStore on Redis: one JSON value per scope (`portbot:sweep:risks:<scope>`), no expiry. */
export class RedisSweepStore implements SweepStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'portbot:sweep',
  ) {}

  async lastRisks(scope: string): Promise<RiskMark[] | null> {
    const raw = await this.redis.get(`${this.prefix}:risks:${scope}`);
    if (raw === null) return null;
    const parsed = RiskMarkListSchema.safeParse(JSON.parse(raw));
    // Written by another version or damaged: start over as if never swept (a full digest).
    return parsed.success ? parsed.data : null;
  }

  async saveRisks(scope: string, marks: readonly RiskMark[]): Promise<void> {
    await this.redis.set(`${this.prefix}:risks:${scope}`, JSON.stringify(marks));
  }

  digestSlot(runId: string): PostSlot {
    return new RedisPostSlot(this.redis, {
      hashKey: `${this.prefix}:digest:${runId}`,
      fieldPrefix: 'message',
      channelField: 'messageChannel',
      createWithTtlSeconds: DIGEST_TTL_S,
    });
  }
}
