import { Queue, type ConnectionOptions } from 'bullmq';
import type { HeldSummaryKey } from '../heldAlerts/HeldSummary';
import { countByState } from './countByState';
import type { JobState } from './JobQueue';
import { logQueueErrors } from './logQueueErrors';
import type { Log } from '../domain/Log';

/** Jobs that post or update the summary of alerts held back by the new-incident cap. */
export const HELD_SUMMARY_QUEUE = 'portbot-held-summary';

export type HeldSummaryJobName = 'held-summary';

/** The job carries the summary's key only: the worker reads count and targets from Redis. */
export type HeldSummaryJobData = HeldSummaryKey;

/** Holds within this window after the first become one post (or one update) of the message. */
const HELD_COALESCE_MS = 1000;
/** Slack failures retry with the workers' capped backoff until the summary expires (a day). */
const HELD_SUMMARY_ATTEMPTS = 1_000_000;

/**
 * One pending job per summary: while one waits, more holds add nothing (the job reads the count
 * when it runs); while one runs, one more is kept to show what came in meanwhile.
 */
export function heldSummaryQueue(
  connection: ConnectionOptions,
  prefix = 'portbot',
  log?: Log,
): {
  enqueue: (key: HeldSummaryKey) => Promise<void>;
  counts: () => Promise<Record<JobState, number>>;
  close: () => Promise<void>;
} {
  const queue = new Queue<HeldSummaryJobData, unknown, HeldSummaryJobName>(HELD_SUMMARY_QUEUE, {
    connection,
    prefix,
  });
  logQueueErrors(queue, HELD_SUMMARY_QUEUE, log);
  return {
    enqueue: async (key) => {
      await queue.add(
        'held-summary',
        { source: key.source, minute: key.minute },
        {
          delay: HELD_COALESCE_MS,
          attempts: HELD_SUMMARY_ATTEMPTS,
          backoff: { type: 'custom' },
          deduplication: { id: `held:${key.source}:${key.minute}`, keepLastIfActive: true },
          removeOnComplete: { age: 3600, count: 1000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      );
    },
    counts: () => countByState(queue),
    close: () => queue.close(),
  };
}
