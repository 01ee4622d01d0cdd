import { Queue, type ConnectionOptions } from 'bullmq';
import type { JobQueue } from './JobQueue';
import {
  DIAGNOSE_QUEUE,
  SLACK_QUEUE,
  type DiagnoseJobData,
  type RefreshRootJobData,
} from './jobTypes';

/** Read-only diagnosis retries transient faults with backoff; the worker decides what is transient. */
const DIAGNOSE_ATTEMPTS = 4;
const REFRESH_COALESCE_MS = 1000;

export class BullJobQueue implements JobQueue {
  private readonly diagnose: Queue<DiagnoseJobData>;
  private readonly slack: Queue<RefreshRootJobData>;

  constructor(connection: ConnectionOptions, prefix = 'portbot') {
    this.diagnose = new Queue<DiagnoseJobData>(DIAGNOSE_QUEUE, { connection, prefix });
    this.slack = new Queue<RefreshRootJobData>(SLACK_QUEUE, { connection, prefix });
  }

  async enqueueDiagnose(incidentId: string, opts: { first?: boolean } = {}): Promise<void> {
    await this.diagnose.add(
      'diagnose',
      { incidentId },
      {
        attempts: DIAGNOSE_ATTEMPTS,
        backoff: { type: 'exponential', delay: 1000 },
        ...(opts.first
          ? { jobId: `first-${incidentId}` }
          : { deduplication: { id: `diagnose:${incidentId}`, keepLastIfActive: true } }),
        removeOnComplete: { age: 24 * 3600, count: 5000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  }

  async enqueueGroupDiagnose(checkId: string, hosts: readonly string[]): Promise<void> {
    await this.diagnose.add(
      'diagnose-group',
      { incidentId: checkId, hosts: [...hosts] },
      {
        jobId: `group-${checkId}`,
        attempts: DIAGNOSE_ATTEMPTS,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 24 * 3600, count: 5000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  }

  async enqueueRefreshRoot(incidentId: string): Promise<void> {
    await this.slack.add(
      'refresh-root',
      { incidentId },
      {
        delay: REFRESH_COALESCE_MS,
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
        deduplication: { id: `refresh:${incidentId}`, keepLastIfActive: true },
        removeOnComplete: { age: 3600, count: 1000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  }

  async counts(): Promise<Record<string, number>> {
    const [d, s] = await Promise.all([
      this.diagnose.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed'),
      this.slack.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed'),
    ]);
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(d)) out[`diagnose_${k}`] = v;
    for (const [k, v] of Object.entries(s)) out[`slack_${k}`] = v;
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([this.diagnose.close(), this.slack.close()]);
  }
}
