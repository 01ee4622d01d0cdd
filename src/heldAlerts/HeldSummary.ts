import type { PostSlot } from '../domain/PostSlot';

/** An alert target the new-incident cap held back: no incident was opened for it. */
export interface HeldTarget {
  host: string;
  port: number;
}

/**
 * Names one held summary: an alert source and a minute (ms since epoch ÷ 60,000, floored). It
 * travels as this object (job data, store calls); the Redis key is built from it and never read back.
 */
export interface HeldSummaryKey {
  source: string;
  minute: number;
}

/** One payload's alerts held back by the cap, as serve hands them over. */
export interface HeldBatch {
  source: string;
  /** Where the summary goes: the alert channel. */
  channel: string;
  /** PORTBOT_NEW_INCIDENTS_PER_MINUTE of the serve that held them. */
  perMinute: number;
  /** When they were held (serve's clock, ms since epoch): decides the minute. */
  atMs: number;
  /** One element per held alert (a target may repeat). */
  targets: readonly HeldTarget[];
}

/** Everything held back for one source in one minute, by every serve. */
export interface HeldSummary {
  key: HeldSummaryKey;
  channel: string;
  count: number;
  perMinute: number;
  /** The first distinct targets held, in the order they were held (as many as asked for). */
  targets: HeldTarget[];
  /** Distinct targets kept track of (a floor when `targetsComplete` is false). */
  distinctTargets: number;
  targetsComplete: boolean;
  /** The summary message once posted. */
  message: { channel: string; ts: string } | null;
  /** The count the message is known to show (0 while unknown). */
  shownCount: number;
}

/** Held-summary bookkeeping; atomic across serves and workers like the IncidentStore. */
export interface HeldSummaryStore {
  /** Adds a payload's held alerts to its source's summary for that minute; answers its key. */
  recordHeld(batch: HeldBatch): Promise<HeldSummaryKey>;
  /** The summary with up to `targets` of its targets; null once it expired. */
  get(key: HeldSummaryKey, targets: number): Promise<HeldSummary | null>;
  /** The post-once state of the summary message. */
  summarySlot(key: HeldSummaryKey): PostSlot;
  /** Records that the message shows `count` now; never lowers what was recorded. */
  markShown(key: HeldSummaryKey, count: number): Promise<void>;
}
