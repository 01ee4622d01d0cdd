import { Queue, type ConnectionOptions } from 'bullmq';

/** Not in jobTypes.ts while the executor worker is not wired: it will consume this queue. */
export const REMEDIATION_QUEUE = 'portbot-remediation';

export interface RemediationJobData {
  requestId: string;
}

/**
 * The approved request goes to the executor as a job that never retries on its own (a retry
 * could repeat a step; the journal and the request's state decide what happens after a loss).
 * The job id is the request id, so a second enqueue of the same request adds nothing.
 */
export function remediationEnqueuer(
  connection: ConnectionOptions,
  prefix = 'portbot',
): { enqueueExecution: (requestId: string) => Promise<void>; close: () => Promise<void> } {
  const queue = new Queue<RemediationJobData, unknown, 'remediate'>(REMEDIATION_QUEUE, {
    connection,
    prefix,
  });
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
