import { setTimeout as sleep } from 'node:timers/promises';
import { isRetryLater } from '../domain/RetryLater';

/** Longest single wait honoured in-process; past it the caller gives up on this call. */
const MAX_WAIT_MS = 10_000;
const MAX_TRIES = 4;

/**
 * Runs a Slack call again when Slack (or our per-channel limiter) said "slow down": a RetryLater
 * means the request surely did not land, so resending cannot make a second copy. Any other error
 * (a timeout may have landed) is thrown at once.
 */
export async function withSlackRetries<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!isRetryLater(err) || attempt >= MAX_TRIES || err.retryInMs > MAX_WAIT_MS) throw err;
      await sleep(err.retryInMs);
    }
  }
}
