import type { Redis } from 'ioredis';
import { PortbotError } from '../domain/PortbotError';
import type { PostSlot } from '../domain/PostSlot';
import { RedisPostSlot } from '../redis/RedisPostSlot';
import { runLuaScript } from '../redis/runLuaScript';
import type {
  HeldBatch,
  HeldSummary,
  HeldSummaryKey,
  HeldSummaryStore,
  HeldTarget,
} from './HeldSummary';
import { HeldSummaryHashSchema, HeldTargetSchema } from './HeldSummaryHashSchema';
import { MARK_SHOWN, RECORD_HELD } from './heldSummaryScripts';

const PREFIX = 'portbot:held:';

/**
 * A summary lives a day: its job retries a Slack outage that long, and a minute-by-minute record
 * kept for a week (the incident TTL) would pile up during a long alert flood.
 */
export const HELD_SUMMARY_TTL_S = 24 * 3600;

/** Distinct targets kept per summary; the message names ten and counts the rest. */
export const HELD_TARGETS_TRACKED = 200;

/** HeldSummaryStore on Redis (see heldSummaryScripts.ts). */
export class RedisHeldSummaryStore implements HeldSummaryStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number = HELD_SUMMARY_TTL_S,
  ) {}

  async recordHeld(batch: HeldBatch): Promise<HeldSummaryKey> {
    const key = { source: batch.source, minute: Math.floor(batch.atMs / 60_000) };
    const { hash, targets } = keysOf(key);
    await runLuaScript(
      this.redis,
      RECORD_HELD,
      [hash, targets],
      [
        batch.channel,
        String(batch.perMinute),
        String(this.ttlSeconds),
        String(HELD_TARGETS_TRACKED),
        ...batch.targets.map(memberOf),
      ],
    );
    return key;
  }

  async get(key: HeldSummaryKey, targets: number): Promise<HeldSummary | null> {
    const k = keysOf(key);
    const reply = await this.redis
      .multi()
      .hgetall(k.hash)
      .zrange(k.targets, '0', String(Math.max(0, targets) - 1))
      .zcard(k.targets)
      .exec();
    const [hash, members, card] = (reply ?? []).map(([err, value]) => {
      if (err) throw err;
      return value;
    });
    if (typeof hash !== 'object' || hash === null || Object.keys(hash).length === 0) return null;
    const h = HeldSummaryHashSchema.safeParse(hash);
    if (!h.success)
      throw new PortbotError('INTERNAL', `held summary ${describe(key)} is not valid`, {
        userFacing: false,
        cause: h.error,
      });
    return {
      key,
      channel: h.data.channel,
      count: h.data.count,
      perMinute: h.data.perMinute,
      targets: targets > 0 ? (members as string[]).map((m) => targetOf(key, m)) : [],
      distinctTargets: Number(card),
      targetsComplete: h.data.untracked === 0,
      message:
        h.data.messageTs === undefined
          ? null
          : { channel: h.data.messageChannel ?? h.data.channel, ts: h.data.messageTs },
      shownCount: h.data.shownCount,
    };
  }

  summarySlot(key: HeldSummaryKey): PostSlot {
    return new RedisPostSlot(this.redis, {
      hashKey: keysOf(key).hash,
      fieldPrefix: 'message',
      channelField: 'messageChannel',
    });
  }

  async markShown(key: HeldSummaryKey, count: number): Promise<void> {
    await runLuaScript(this.redis, MARK_SHOWN, [keysOf(key).hash], [String(count)]);
  }
}

function keysOf(key: HeldSummaryKey): { hash: string; targets: string } {
  const hash = `${PREFIX}${key.source}:${key.minute}`;
  return { hash, targets: `${hash}:targets` };
}

/** Fixed field order, so one target is one member however often it is held. */
function memberOf(t: HeldTarget): string {
  return JSON.stringify({ host: t.host, port: t.port });
}

function targetOf(key: HeldSummaryKey, member: string): HeldTarget {
  try {
    return HeldTargetSchema.parse(JSON.parse(member));
  } catch (cause) {
    throw new PortbotError('INTERNAL', `a held target of ${describe(key)} is not valid`, {
      userFacing: false,
      cause,
    });
  }
}

function describe(key: HeldSummaryKey): string {
  return `${key.source} minute ${key.minute}`;
}
