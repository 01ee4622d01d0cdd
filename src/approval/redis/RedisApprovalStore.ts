import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { runLuaScript } from '../../redis/runLuaScript';
import type { ApprovalState } from '../ApprovalState';
import type { ApprovalStore, RemediationRequest } from '../ApprovalStore';
import { ApprovalStateSchema } from './ApprovalStateSchema';
import { RemediationPlanSchema } from './RemediationPlanSchema';

const PREFIX = 'portbot:approval:';
/** Kept this long after expiry (or the last write): the executor and late clicks still find it. */
const RETAIN_MS = 7 * 24 * 3600 * 1000;
/** 128 random bits, base64url: what a button value must look like before Redis is asked. */
const REQUEST_ID = /^[A-Za-z0-9_-]{22}$/;

// Writes the state only while the stored version is the one the caller decided on.
const CAS = `
if redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'state', ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
return 1`;

const SET_TS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'messageTs', ARGV[1])
return 1`;

/** One hash per request: version, state and plan (JSON), channel, threadTs, messageTs. */
export class RedisApprovalStore implements ApprovalStore {
  constructor(
    private readonly redis: Redis,
    private readonly now: () => number = Date.now,
  ) {}

  async create(build: (requestId: string) => RemediationRequest): Promise<RemediationRequest> {
    const request = build(randomBytes(16).toString('base64url'));
    const { state, plan, message } = request;
    const key = PREFIX + state.requestId;
    await this.redis
      .multi()
      .hset(key, {
        version: String(state.version),
        state: JSON.stringify(state),
        plan: JSON.stringify(plan),
        channel: message.channel,
        threadTs: message.threadTs,
        ...(message.messageTs === null ? {} : { messageTs: message.messageTs }),
      })
      .pexpireat(key, this.expireAt(state))
      .exec();
    return request;
  }

  async get(requestId: string): Promise<RemediationRequest | null> {
    if (!REQUEST_ID.test(requestId)) return null;
    const h = await this.redis.hgetall(PREFIX + requestId);
    if (h.state === undefined || h.plan === undefined) return null;
    return {
      state: ApprovalStateSchema.parse(JSON.parse(h.state)),
      plan: RemediationPlanSchema.parse(JSON.parse(h.plan)),
      message: {
        channel: h.channel ?? '',
        threadTs: h.threadTs ?? '',
        messageTs: h.messageTs ?? null,
      },
    };
  }

  async compareAndSet(expectedVersion: number, next: ApprovalState): Promise<boolean> {
    const r = await runLuaScript(
      this.redis,
      CAS,
      [PREFIX + next.requestId],
      [
        String(expectedVersion),
        String(next.version),
        JSON.stringify(next),
        String(this.expireAt(next)),
      ],
    );
    return Number(r) === 1;
  }

  async setMessageTs(requestId: string, messageTs: string): Promise<void> {
    await runLuaScript(this.redis, SET_TS, [PREFIX + requestId], [messageTs]);
  }

  private expireAt(state: ApprovalState): number {
    return Math.max(this.now(), state.expiresAt ?? 0) + RETAIN_MS;
  }
}
