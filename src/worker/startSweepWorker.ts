import { Worker, type ConnectionOptions } from 'bullmq';
import type { Log } from '../domain/Log';
import { logQueueErrors } from '../queue/logQueueErrors';
import { SWEEP_QUEUE, type SweepJobData } from '../queue/sweepQueue';
import { closeWithin } from './closeWithin';
import { processSweepJob, type SweepJobDeps, type SweepOutcome } from './processSweepJob';
import { settle } from './settleJob';

export interface SweepWorkerOptions {
  connection: ConnectionOptions;
  prefix?: string;
  deps: SweepJobDeps;
  log: Log;
  lockDurationMs: number;
  stalledIntervalMs: number;
  drainMs: number;
}

/** Slack rate limits and SSH hiccups retry with this capped backoff. */
const MAX_BACKOFF_MS = 60_000;

/**
 * Consumes `portbot-sweep` (`/port sweep` and the scheduled sweep), one at a time: a sweep
 * already fans out over every host, two at once would only double the SSH load.
 */
export function startSweepWorker(opts: SweepWorkerOptions): { close: () => Promise<void> } {
  const worker = new Worker<SweepJobData, SweepOutcome, string>(
    SWEEP_QUEUE,
    (job, token) =>
      settle(job, token, () =>
        processSweepJob(opts.deps, {
          runId: job.id ?? `${job.name}-${job.timestamp}`,
          data: job.data,
          startedMs: job.timestamp,
        }),
      ),
    {
      connection: opts.connection,
      prefix: opts.prefix ?? 'portbot',
      concurrency: 1,
      lockDuration: opts.lockDurationMs,
      stalledInterval: opts.stalledIntervalMs,
      settings: {
        backoffStrategy: (attemptsMade: number) =>
          Math.min(5000 * 2 ** Math.max(0, attemptsMade - 1), MAX_BACKOFF_MS),
      },
    },
  );
  worker.on('failed', (job, err) =>
    opts.log.warn(
      { jobId: job?.id, queue: SWEEP_QUEUE, err: err.message, attemptsMade: job?.attemptsMade },
      'job failed',
    ),
  );
  logQueueErrors(worker, SWEEP_QUEUE, opts.log);
  return { close: () => closeWithin([worker], opts.drainMs, opts.log) };
}
