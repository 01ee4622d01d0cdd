import { UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import type { Log } from '../domain/Log';
import {
  REMEDIATION_QUEUE,
  type RemediationJobData,
  type RemediationJobName,
} from '../queue/jobTypes';
import { processRemediationJob, type RemediationJobDeps } from './processRemediationJob';
import { settle } from './settleJob';
import { closeWithin } from './closeWithin';
import { logQueueErrors } from '../queue/logQueueErrors';

export interface RemediationWorkerOptions {
  connection: ConnectionOptions;
  prefix?: string;
  deps: RemediationJobDeps;
  log: Log;
  /** Requests run at once by this process; the fencing lock still allows one per HA group. */
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** SIGTERM waits this long for a running plan: a plan is never cut between steps on purpose. */
  planDrainMs: number;
  /** …and this long when no plan runs (a close can hang on a Redis that is down). */
  idleDrainMs: number;
}

export interface RemediationWorker {
  worker: Worker<RemediationJobData, string, RemediationJobName>;
  close: () => Promise<void>;
}

/**
 * The executor's BullMQ worker. A job whose worker died is handed to another worker by BullMQ's
 * stalled check; processRemediationJob then ends the request `aborted` instead of running it.
 */
export function startRemediationWorker(opts: RemediationWorkerOptions): RemediationWorker {
  let running = 0;
  const worker = new Worker<RemediationJobData, string, RemediationJobName>(
    REMEDIATION_QUEUE,
    (job, token) => {
      if (job.name !== 'remediate') throw new UnrecoverableError(`unknown job ${String(job.name)}`);
      running += 1;
      return settle(job, token, () => processRemediationJob(opts.deps, job.data.requestId)).finally(
        () => (running -= 1),
      );
    },
    {
      connection: opts.connection,
      prefix: opts.prefix ?? 'portbot',
      concurrency: opts.concurrency,
      lockDuration: opts.lockDurationMs,
      stalledInterval: opts.stalledIntervalMs,
      // Each pick-up after a stall only ends the request; it never runs a step again.
      maxStalledCount: 5,
    },
  );
  worker.on('failed', (job, err) =>
    opts.log.error(
      { jobId: job?.id, requestId: job?.data.requestId, err: err.message },
      'remediation job failed',
    ),
  );
  logQueueErrors(worker, worker.name, opts.log);
  return {
    worker,
    close: () => closeWithin([worker], running > 0 ? opts.planDrainMs : opts.idleDrainMs, opts.log),
  };
}
