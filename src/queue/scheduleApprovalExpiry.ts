import { Queue, type ConnectionOptions } from 'bullmq';
import { logQueueErrors } from './logQueueErrors';
import type { Log } from '../domain/Log';

/** Delayed jobs that expire remediation requests nobody decided in time. */
export const APPROVAL_EXPIRY_QUEUE = 'portbot-approval-expiry';

export interface ApprovalExpiryJobData {
  requestId: string;
}

export type ApprovalExpiryJobName = 'expire';

/** The job id of a request's expiry: one per request, however often it is scheduled. */
export function expiryJobId(requestId: string): string {
  return `expire-${requestId}`;
}

/**
 * Adds a request's expiry as a delayed job due at `at`. The job id is derived from the request
 * id, so scheduling the same request again adds nothing. The job carries the id only: the
 * worker re-reads the request and the state machine decides (a decided request stays as it is).
 */
export function approvalExpiryScheduler(
  connection: ConnectionOptions,
  prefix = 'portbot',
  now: () => number = Date.now,
  log?: Log,
): {
  scheduleExpiry: (requestId: string, at: number) => Promise<void>;
  close: () => Promise<void>;
} {
  const queue = new Queue<ApprovalExpiryJobData, unknown, ApprovalExpiryJobName>(
    APPROVAL_EXPIRY_QUEUE,
    { connection, prefix },
  );
  logQueueErrors(queue, APPROVAL_EXPIRY_QUEUE, log);
  return {
    scheduleExpiry: async (requestId, at) => {
      await queue.add(
        'expire',
        { requestId },
        {
          jobId: expiryJobId(requestId),
          delay: Math.max(0, at - now()),
          // Only a Slack failure fails it; a retry re-renders the message, nothing is told twice.
          attempts: 5,
          backoff: { type: 'exponential', delay: 2000 },
          removeOnComplete: { age: 24 * 3600, count: 5000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      );
    },
    close: () => queue.close(),
  };
}
