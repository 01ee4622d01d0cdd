import { FlowProducer, Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { chunkHosts } from '../domain/chunkHosts';
import { type JobCounts, type JobQueue } from './JobQueue';
import { countByState } from './countByState';
import {
  DIAGNOSE_QUEUE,
  FLEET_CHECK_QUEUE,
  REFRESH_ROOT_QUEUE,
  type DiagnoseJobData,
  type DiagnoseJobName,
  type FleetCheckJobName,
  type FleetChunkJobData,
  type FleetSummaryJobData,
  fleetChunkJobId,
  fleetSummaryJobId,
  type RefreshRootJobData,
  type RefreshRootJobName,
} from './jobTypes';
import { logQueueErrors } from './logQueueErrors';
import type { Log } from '../domain/Log';

/**
 * Read-only diagnosis retries with the workers' capped backoff until the incident expires (the
 * job then stops as unrecoverable): a Slack outage of any length ends in a thread. SSH failures
 * have their own small budget (SSH_ATTEMPTS in the worker).
 */
const DIAGNOSE_ATTEMPTS = 1_000_000;
const FLEET_CHECK_ATTEMPTS = 4;
const FLEET_JOB_OPTIONS: JobsOptions = {
  attempts: FLEET_CHECK_ATTEMPTS,
  backoff: { type: 'custom' },
  removeOnComplete: { age: 24 * 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};
const REFRESH_COALESCE_MS = 1000;

export class BullJobQueue implements JobQueue {
  private readonly diagnose: Queue<DiagnoseJobData, unknown, DiagnoseJobName>;
  private readonly fleetCheck: Queue<
    FleetChunkJobData | FleetSummaryJobData,
    unknown,
    FleetCheckJobName
  >;
  private readonly flows: FlowProducer;
  private readonly refreshRoot: Queue<RefreshRootJobData, unknown, RefreshRootJobName>;

  constructor(connection: ConnectionOptions, prefix = 'portbot', log?: Log) {
    this.diagnose = new Queue(DIAGNOSE_QUEUE, { connection, prefix });
    this.fleetCheck = new Queue(FLEET_CHECK_QUEUE, { connection, prefix });
    this.refreshRoot = new Queue(REFRESH_ROOT_QUEUE, { connection, prefix });
    this.flows = new FlowProducer({ connection, prefix });
    logQueueErrors(this.flows, 'flow-producer', log);
    for (const q of [this.diagnose, this.fleetCheck, this.refreshRoot])
      logQueueErrors(q, q.name, log);
  }

  async enqueueDiagnose(incidentId: string, opts: { first?: boolean } = {}): Promise<void> {
    const job = await this.diagnose.add(
      'diagnose',
      { incidentId },
      {
        attempts: DIAGNOSE_ATTEMPTS,
        backoff: { type: 'custom' },
        ...(opts.first
          ? { jobId: `first-${incidentId}` }
          : { deduplication: { id: `diagnose:${incidentId}`, keepLastIfActive: true } }),
        removeOnComplete: { age: 24 * 3600, count: 5000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
    // The first job's fixed id would otherwise sit in the failed set and swallow every repeat.
    if (opts.first && (await job.isFailed())) await job.retry('failed');
  }

  async enqueueFleetCheck(checkId: string, hosts: readonly string[]): Promise<void> {
    const chunks = chunkHosts(hosts);
    const summary: FleetSummaryJobData = { checkId, chunks };
    await this.flows.add({
      name: 'fleet-summary',
      queueName: FLEET_CHECK_QUEUE,
      data: summary,
      opts: { ...FLEET_JOB_OPTIONS, jobId: fleetSummaryJobId(checkId) },
      children: chunks.map((chunkHostNames, chunk) => {
        const data: FleetChunkJobData = { checkId, chunk, hosts: chunkHostNames };
        return {
          name: 'fleet-chunk',
          queueName: FLEET_CHECK_QUEUE,
          data,
          opts: {
            ...FLEET_JOB_OPTIONS,
            jobId: fleetChunkJobId(checkId, chunk),
            // A child that fails for good must neither fail the parent (failParentOnFailure:
            // no summary at all, every other host's diagnosis lost) nor vanish from it
            // (removeDependencyOnFailure: nothing would say why). Ignored, it is kept among the
            // parent's failed dependencies with its error, the parent still runs when the last
            // child ends, and reports that chunk's hosts as not diagnosed, with the reason.
            ignoreDependencyOnFailure: true,
          },
        };
      }),
    });
  }

  async enqueueRefreshRoot(incidentId: string): Promise<void> {
    await this.refreshRoot.add(
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

  async counts(): Promise<JobCounts> {
    const [diagnose, fleetCheck, refreshRoot] = await Promise.all([
      countByState(this.diagnose),
      countByState(this.fleetCheck),
      countByState(this.refreshRoot),
    ]);
    return { diagnose, fleet_check: fleetCheck, refresh_root: refreshRoot };
  }

  async close(): Promise<void> {
    await Promise.all([
      this.diagnose.close(),
      this.fleetCheck.close(),
      this.refreshRoot.close(),
      this.flows.close(),
    ]);
  }
}
