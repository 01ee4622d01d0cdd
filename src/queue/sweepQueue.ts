import { Queue, type ConnectionOptions } from 'bullmq';
import type { FleetScope } from '../domain/FleetScope';
import type { Log } from '../domain/Log';
import { countByState } from './countByState';
import type { JobState } from './JobQueue';
import { logQueueErrors } from './logQueueErrors';

/** Prevention sweeps: `/port sweep` and the scheduled one (docs/reference/service.md). */
export const SWEEP_QUEUE = 'portbot-sweep';
export const SWEEP_SCHEDULER_ID = 'portbot-sweep-scheduled';

export type SweepJobName = 'sweep';

/** What to sweep and where the digest goes; hosts are looked up in the inventory when it runs. */
export interface SweepJobData {
  scope: FleetScope;
  channel: string;
  /** Slack user id of `/port sweep`; null for the scheduled sweep. */
  requestedBy: string | null;
}

/** What ingress needs: queue one sweep now. */
export interface SweepQueue {
  enqueue(data: SweepJobData): Promise<void>;
}

/** A sweep opens one SSH exec per host: a failed run retries a few times, then waits for the next. */
const SWEEP_ATTEMPTS = 4;
const JOB_OPTS = {
  attempts: SWEEP_ATTEMPTS,
  backoff: { type: 'custom' },
  removeOnComplete: { age: 7 * 24 * 3600, count: 500 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

export function sweepQueue(
  connection: ConnectionOptions,
  prefix = 'portbot',
  log?: Log,
): SweepQueue & {
  /** Runs a sweep of every host on `cron` (BullMQ job scheduler); null removes the schedule. */
  schedule: (cron: string | null, channel: string | null, tz?: string) => Promise<void>;
  counts: () => Promise<Record<JobState, number>>;
  close: () => Promise<void>;
} {
  // Job names are typed as string: BullMQ types the scheduler id with the job-name type.
  const queue = new Queue<SweepJobData, unknown, string>(SWEEP_QUEUE, { connection, prefix });
  logQueueErrors(queue, SWEEP_QUEUE, log);
  return {
    enqueue: async (data) => {
      await queue.add('sweep', data, JOB_OPTS);
    },
    schedule: async (cron, channel, tz) => {
      if (cron === null || channel === null) {
        await queue.removeJobScheduler(SWEEP_SCHEDULER_ID);
        return;
      }
      // Upserted by every worker at start: one schedule whatever the number of workers.
      await queue.upsertJobScheduler(
        SWEEP_SCHEDULER_ID,
        { pattern: cron, ...(tz ? { tz } : {}) },
        {
          name: 'sweep',
          data: { scope: { kind: 'all' }, channel, requestedBy: null },
          opts: JOB_OPTS,
        },
      );
    },
    counts: () => countByState(queue),
    close: () => queue.close(),
  };
}
