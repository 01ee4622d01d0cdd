import type { HeldBatch, HeldSummaryKey, HeldSummaryStore } from '../heldAlerts/HeldSummary';

/** Hands a payload's held alerts to the summary of their source and minute. */
export type AnnounceHeld = (batch: HeldBatch) => Promise<void>;

/**
 * Serve's side of the held summary: count the alerts into their source's summary for the
 * minute (Redis, shared by every serve) and queue the job that posts the one message or updates
 * it. Serve itself never calls Slack here: it stays quick to answer, and a Slack outage only
 * delays the job. A failure throws, so the payload is answered 503 and its sender retries.
 */
export function announceHeld(deps: {
  store: HeldSummaryStore;
  enqueue: (key: HeldSummaryKey) => Promise<void>;
}): AnnounceHeld {
  return async (batch) => {
    const key = await deps.store.recordHeld(batch);
    await deps.enqueue(key);
  };
}
