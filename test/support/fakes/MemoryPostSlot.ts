import type { ClaimState, ConfirmState, PostSlot } from '../../../src/domain/PostSlot';

/**
 * In-memory PostSlot for unit tests: the same none → claimed → posted machine as the Redis
 * script, on a local clock. `onRecord` lets a root slot write rootTs into its fake record.
 */
export class MemoryPostSlot implements PostSlot {
  private holder: { token: string; until: number } | null = null;
  private dirty = false;
  posted: { channel: string; ts: string } | null = null;

  constructor(
    private readonly onRecord: (posted: { channel: string; ts: string }) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  claim(token: string, leaseMs: number): Promise<ClaimState> {
    if (this.posted) return Promise.resolve({ state: 'posted', ...this.posted });
    const now = this.now();
    if (this.holder && this.holder.token !== token && this.holder.until > now)
      return Promise.resolve({ state: 'busy', retryInMs: this.holder.until - now });
    const recovering = this.holder !== null || this.dirty;
    this.holder = { token, until: now + leaseMs };
    this.dirty = true;
    return Promise.resolve({ state: recovering ? 'recovering' : 'claimed' });
  }

  confirm(token: string, leaseMs: number): Promise<ConfirmState> {
    if (this.posted) return Promise.resolve({ state: 'posted', ...this.posted });
    if (this.holder?.token !== token) return Promise.resolve({ state: 'lost' });
    this.holder = { token, until: this.now() + leaseMs };
    return Promise.resolve({ state: 'held' });
  }

  record(channel: string, ts: string): Promise<{ channel: string; ts: string }> {
    if (!this.posted) {
      this.posted = { channel, ts };
      this.holder = null;
      this.dirty = false;
      this.onRecord(this.posted);
    }
    return Promise.resolve({ ...this.posted });
  }

  abandon(token: string, outcome: 'surely-not-posted' | 'maybe-posted'): Promise<void> {
    // Like the Redis script: a maybe-posted claim keeps its lease (and dirty) until it ends.
    if (this.holder?.token === token && outcome === 'surely-not-posted') {
      this.holder = null;
      this.dirty = false;
    }
    return Promise.resolve();
  }
}
