import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { isPortbotError } from '../domain/PortbotError';
import { isRetryLater } from '../domain/RetryLater';

/** Delay added to RetryLater so that jobs waiting on the same thing do not all wake at once. */
const RETRY_JITTER_MS = 500;

/**
 * Maps what a job ended with onto BullMQ: RetryLater delays the job without spending an
 * attempt; errors we raised on purpose that a retry cannot fix (bad data, missing record) stop.
 */
export async function settle<T>(
  job: Job,
  token: string | undefined,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isRetryLater(err)) {
      const wait = err.retryInMs + Math.floor(Math.random() * RETRY_JITTER_MS);
      await job.moveToDelayed(Date.now() + wait, token);
      throw new DelayedError();
    }
    if (isPortbotError(err) && (err.code === 'INTERNAL' || err.permanent))
      throw new UnrecoverableError(err.message);
    throw err;
  }
}
