import type { Redis } from 'ioredis';
import type { ClaimState, ConfirmState, PostSlot } from '../domain/PostSlot';
import { ABANDON_POST, CLAIM_POST, CONFIRM_POST, RECORD_POST } from './postSlotScripts';
import { runLuaScript } from './runLuaScript';

export interface PostSlotPlace {
  /** The hash holding the state: an incident or check (must exist) or a reply record. */
  hashKey: string;
  fieldPrefix: string;
  /** Field that keeps the channel the message went to. */
  channelField: string;
  /** Reply records are created on first claim and expire with this TTL; roots live in their record. */
  createWithTtlSeconds?: number;
}

/** PostSlot on a Redis hash (see postSlotScripts.ts). */
export class RedisPostSlot implements PostSlot {
  constructor(
    private readonly redis: Redis,
    private readonly place: PostSlotPlace,
  ) {}

  async claim(token: string, leaseMs: number): Promise<ClaimState> {
    const ttl = this.place.createWithTtlSeconds;
    const reply = (await runLuaScript(
      this.redis,
      CLAIM_POST,
      [this.place.hashKey],
      [
        this.place.fieldPrefix,
        token,
        String(leaseMs),
        ttl === undefined ? '1' : '0',
        String(ttl ?? 0),
        this.place.channelField,
      ],
    )) as string[];
    const [state, a, b] = reply;
    if (state === 'posted') return { state, channel: a ?? '', ts: b ?? '' };
    if (state === 'busy') return { state, retryInMs: Number(a) };
    if (state === 'claimed' || state === 'recovering' || state === 'gone') return { state };
    throw new Error(`post slot: unexpected reply ${String(state)}`);
  }

  async confirm(token: string, leaseMs: number): Promise<ConfirmState> {
    const [state, a, b] = (await runLuaScript(
      this.redis,
      CONFIRM_POST,
      [this.place.hashKey],
      [this.place.fieldPrefix, token, String(leaseMs), this.place.channelField],
    )) as string[];
    if (state === 'posted') return { state, channel: a ?? '', ts: b ?? '' };
    if (state === 'held' || state === 'lost') return { state };
    throw new Error(`post slot: unexpected reply ${String(state)}`);
  }

  async record(channel: string, ts: string): Promise<{ channel: string; ts: string }> {
    const [c, t] = (await runLuaScript(
      this.redis,
      RECORD_POST,
      [this.place.hashKey],
      [this.place.fieldPrefix, channel, ts, this.place.channelField],
    )) as [string, string];
    return { channel: c, ts: t };
  }

  async abandon(token: string, outcome: 'surely-not-posted' | 'maybe-posted'): Promise<void> {
    // A maybe-posted claim stays until its lease ends (see ABANDON_POST).
    if (outcome === 'maybe-posted') return;
    await runLuaScript(
      this.redis,
      ABANDON_POST,
      [this.place.hashKey],
      [this.place.fieldPrefix, token],
    );
  }
}
