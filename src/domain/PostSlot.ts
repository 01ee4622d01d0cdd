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

/** What `confirm` found just before the post is sent. */
export type ConfirmState =
  /** Still ours (lease renewed): send now. */
  | { state: 'held' }
  /** Another job recorded the message meanwhile: adopt it, send nothing. */
  | { state: 'posted'; channel: string; ts: string }
  /** Another job took the claim over (ours lapsed), or the record expired: send nothing. */
  | { state: 'lost' };

/** The state machine none → claimed{token, until} → posted{ts} of one message. */
export interface PostSlot {
  claim(token: string, leaseMs: number): Promise<ClaimState>;
  /**
   * Called right before the post is sent (after any rate-limit wait): renews the lease if the
   * claim is still this token's, even past its end when nobody took it over (a paused process).
   */
  confirm(token: string, leaseMs: number): Promise<ConfirmState>;
  /** Records the posted message; answers the one on record (an earlier record wins). */
  record(channel: string, ts: string): Promise<{ channel: string; ts: string }>;
  /**
   * The post failed. `surely-not-posted` (Slack refused it) frees the slot; `maybe-posted` (a
   * timeout, a dropped connection) keeps the claim until its lease ends, so a request still in
   * flight lands first, and makes the next claimer search before posting.
   */
  abandon(token: string, outcome: 'surely-not-posted' | 'maybe-posted'): Promise<void>;
}
