import { Queue, type ConnectionOptions } from 'bullmq';
import { REMEDIATION_QUEUE, type RemediationJobData, type RemediationJobName } from './jobTypes';
import { logQueueErrors } from './logQueueErrors';
import type { Log } from '../domain/Log';

/**
 * The approved request goes to the executor as a job that never retries on its own (a retry
 * could repeat a step; the journal and the request's state decide what happens after a loss).
 * The job id is the request id, so a second enqueue of the same request adds nothing.
 */
export function remediationEnqueuer(
  connection: ConnectionOptions,
  prefix = 'portbot',
  log?: Log,
): { enqueueExecution: (requestId: string) => Promise<void>; close: () => Promise<void> } {
  const queue = new Queue<RemediationJobData, unknown, RemediationJobName>(REMEDIATION_QUEUE, {
    connection,
    prefix,
  });
  logQueueErrors(queue, REMEDIATION_QUEUE, log);
  return {
    enqueueExecution: async (requestId) => {
      await queue.add(
        'remediate',
        { requestId },
        {
          jobId: `remediate-${requestId}`,
          attempts: 1,
          removeOnComplete: { age: 7 * 24 * 3600 },
          removeOnFail: { age: 30 * 24 * 3600 },
        },
      );
    },
    close: () => queue.close(),
  };
}
