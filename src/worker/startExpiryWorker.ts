import { DelayedError, Worker, type ConnectionOptions } from 'bullmq';
import type { ApprovalStore } from '../approval/ApprovalStore';
import type { RecordAudit } from '../audit/recordAudit';
import type { FlowSlack } from '../commands/RemediationFlowDeps';
import type { Log } from '../domain/Log';
import { PortbotError } from '../domain/PortbotError';
import { isRetryLater } from '../domain/RetryLater';
import {
  APPROVAL_EXPIRY_QUEUE,
  type ApprovalExpiryJobData,
  type ApprovalExpiryJobName,
} from '../queue/scheduleApprovalExpiry';
import { processExpiryJob, type ExpiryOutcome } from './processExpiryJob';
import { closeWithin } from './closeWithin';
import { logQueueErrors } from '../queue/logQueueErrors';

export interface ExpiryWorkerOptions {
  connection: ConnectionOptions;
  prefix?: string;
  approvals: ApprovalStore;
  slack: FlowSlack;
  audit: RecordAudit;
  log: Log;
  lockDurationMs: number;
  /** SIGTERM waits this long for a running expiry, then force-closes (see closeWithin). */
  drainMs: number;
  stalledIntervalMs: number;
}

/** The expire transition never queues anything: reaching one of these is a bug. */
const notFromExpiry = (what: string) => () =>
  Promise.reject(
    new PortbotError('INTERNAL', `the expiry worker was asked to ${what}`, { userFacing: false }),
  );

/** Consumes `portbot-approval-expiry`: each job expires one request unless it was decided. */
export function startExpiryWorker(opts: ExpiryWorkerOptions): { close: () => Promise<void> } {
  const deps = {
    approvals: opts.approvals,
    slack: opts.slack,
    audit: opts.audit,
    log: opts.log,
    enqueueExecution: notFromExpiry('enqueue an execution'),
    scheduleExpiry: notFromExpiry('schedule an expiry'),
    now: () => Date.now(),
  };
  const worker = new Worker<ApprovalExpiryJobData, ExpiryOutcome, ApprovalExpiryJobName>(
    APPROVAL_EXPIRY_QUEUE,
    async (job, token) => {
      try {
        return await processExpiryJob(deps, job.data.requestId);
      } catch (err) {
        // Too early, or Slack asked to slow down: wait without spending an attempt.
        if (!isRetryLater(err)) throw err;
        await job.moveToDelayed(Date.now() + err.retryInMs, token);
        throw new DelayedError();
      }
    },
    {
      connection: opts.connection,
      prefix: opts.prefix ?? 'portbot',
      concurrency: 5,
      lockDuration: opts.lockDurationMs,
      stalledInterval: opts.stalledIntervalMs,
    },
  );
  worker.on('failed', (job, err) =>
    opts.log.warn(
      {
        jobId: job?.id,
        queue: APPROVAL_EXPIRY_QUEUE,
        requestId: job?.data.requestId,
        err: err.message,
        attemptsMade: job?.attemptsMade,
      },
      'job failed',
    ),
  );
  logQueueErrors(worker, worker.name, opts.log);
  return { close: () => closeWithin([worker], opts.drainMs, opts.log) };
}
