/** Where a message that must be posted once stands; kept in Redis next to what it belongs to. */
export type ClaimState =
  | { state: 'posted'; channel: string; ts: string }
  /** Ours, and nobody tried before: post. */
  | { state: 'claimed' }
  /** Ours, but an earlier claimer died or failed mid-post: search for its message first. */
  | { state: 'recovering' }
  /** Another job holds a live claim: try again after it. */
  | { state: 'busy'; retryInMs: number }
  /** The incident, check or thread expired. */
  | { state: 'gone' };

/** The state machine none → claimed{token, until} → posted{ts} of one message. */
export interface PostSlot {
  claim(token: string, leaseMs: number): Promise<ClaimState>;
  /** Records the posted message; answers the one on record (an earlier record wins). */
  record(channel: string, ts: string): Promise<{ channel: string; ts: string }>;
  /**
   * The post failed. `surely-not-posted` (Slack refused it) frees the slot; `maybe-posted` (a
   * timeout, a dropped connection) makes the next claimer search first.
   */
  abandon(token: string, outcome: 'surely-not-posted' | 'maybe-posted'): Promise<void>;
}
