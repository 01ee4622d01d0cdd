import { UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import type { Log } from '../domain/Log';
import {
  REMEDIATION_QUEUE,
  type RemediationJobData,
  type RemediationJobName,
} from '../queue/jobTypes';
import { processRemediationJob, type RemediationJobDeps } from './processRemediationJob';
import { settle } from './settleJob';
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
}

/**
 * The executor's BullMQ worker. A job whose worker died is handed to another worker by BullMQ's
 * stalled check; processRemediationJob then ends the request `aborted` instead of running it.
 */
export function startRemediationWorker(
  opts: RemediationWorkerOptions,
): Worker<RemediationJobData, string, RemediationJobName> {
  const worker = new Worker<RemediationJobData, string, RemediationJobName>(
    REMEDIATION_QUEUE,
    (job, token) => {
      if (job.name !== 'remediate') throw new UnrecoverableError(`unknown job ${String(job.name)}`);
      return settle(job, token, () => processRemediationJob(opts.deps, job.data.requestId));
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
  return worker;
}
