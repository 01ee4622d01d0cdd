import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Diagnosis } from '../domain/diagnosis';
import type { RecordAudit } from '../audit/recordAudit';
import type { Log } from '../domain/Log';
import type { HostGate } from '../domain/HostGate';
import { RetryLater } from '../domain/RetryLater';
import { unreachableDiagnosis } from '../diagnosis/unreachableDiagnosis';
import type { FleetCheckStore } from '../fleetChecks/FleetCheck';
import type { HeldSummaryStore } from '../heldAlerts/HeldSummary';
import type { IncidentStore } from '../incidents/Incident';
import {
  DIAGNOSE_QUEUE,
  FLEET_CHECK_QUEUE,
  REFRESH_ROOT_QUEUE,
  type DiagnoseJobData,
  type FleetChunkJobData,
  type FleetSummaryJobData,
  type RefreshRootJobData,
} from '../queue/jobTypes';
import { HELD_SUMMARY_QUEUE, type HeldSummaryJobData } from '../queue/heldSummaryQueue';
import type { SlackHistory, SlackPoster } from '../slack/SlackPoster';
import type { DiagnoseFn, DiagnoseRequest } from './DiagnoseFn';
import { processDiagnoseJob, type JobProgress } from './processDiagnoseJob';
import { processFleetCheckJob } from './processFleetCheckJob';
import { processFleetChunkJob } from './processFleetChunkJob';
import { readFleetChunkResults } from './readFleetChunkResults';
import type { FleetChunkResult } from '../diagnosis/fleetDiagnoses';
import { processHeldSummaryJob, type HeldSummaryOutcome } from './processHeldSummaryJob';
import { processRefreshRootJob } from './processRefreshRootJob';
import { settle } from './settleJob';
import { closeWithin } from './closeWithin';
import { logQueueErrors } from '../queue/logQueueErrors';

export interface WorkerOptions {
  connection: ConnectionOptions;
  prefix?: string;
  incidents: IncidentStore;
  checks: FleetCheckStore;
  /** Summaries of alerts the new-incident cap held back (one message per source and minute). */
  heldSummaries: HeldSummaryStore;
  slack: SlackPoster;
  history: SlackHistory;
  /** Per-host slot limit and circuit breaker, shared by all workers. */
  hosts: HostGate;
  diagnose: DiagnoseFn;
  log: Log;
  audit: RecordAudit;
  concurrency: number;
  /**
   * How long a job stays locked to this process (renewed every half of it) and how often
   * workers look for jobs whose lock ran out: a SIGKILLed worker's jobs return within about
   * lockDurationMs + stalledIntervalMs.
   */
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** SIGTERM waits this long for running jobs, then force-closes (their locks lapse, they return). */
  drainMs: number;
}

/** Slack failures retry with this capped backoff until the incident expires. */
const MAX_BACKOFF_MS = 30_000;

export interface RunningWorkers {
  /** Stops taking jobs, lets running ones finish (or hands them back), closes connections. */
  close(): Promise<void>;
}

export function startWorkers(opts: WorkerOptions): RunningWorkers {
  // A host that just timed out fails fast; a host at its slot limit sends the job back to wait.
  const gated = async (
    jobId: string,
    host: string,
    port: number,
    request?: DiagnoseRequest,
  ): Promise<Diagnosis> => {
    const openMs = await opts.hosts.openForMs(host);
    if (openMs > 0) {
      const message = `${host} timed out moments ago; not tried again for ${Math.ceil(openMs / 1000)} s (circuit breaker)`;
      return unreachableDiagnosis(host, port, { code: 'SSH_TIMEOUT', message }, 0);
    }
    if (!(await opts.hosts.enter(host, jobId)))
      throw new RetryLater(1000, `${host} is at its diagnosis slot limit`);
    try {
      const d = await opts.diagnose(host, port, request);
      if (d.failure?.code === 'SSH_TIMEOUT') await opts.hosts.trip(host);
      return d;
    } finally {
      await opts.hosts.leave(host, jobId);
    }
  };
  // Renews the lock atomically (BullMQ's extendLock: same token → extended, else 0).
  const holdsLock = async (job: Job, token: string | undefined): Promise<boolean> =>
    token !== undefined && (await job.extendLock(token, opts.lockDurationMs)) === 1;
  const common = {
    connection: opts.connection,
    prefix: opts.prefix ?? 'portbot',
    lockDuration: opts.lockDurationMs,
    stalledInterval: opts.stalledIntervalMs,
    // A job whose worker was killed more than this many times fails instead of looping.
    maxStalledCount: 5,
    settings: {
      backoffStrategy: (attemptsMade: number) =>
        Math.min(1000 * 2 ** Math.max(0, attemptsMade - 1), MAX_BACKOFF_MS),
    },
  };
  const jobDeps = (jobId: string) => ({
    incidents: opts.incidents,
    slack: opts.slack,
    history: opts.history,
    diagnose: (host: string, port: number, request?: DiagnoseRequest) =>
      gated(jobId, host, port, request),
    log: opts.log,
    audit: opts.audit,
  });
  // The job keeps only the verdict as its result: the diagnosis itself lives with the incident.
  const diagnoseWorker = new Worker<DiagnoseJobData, string>(
    DIAGNOSE_QUEUE,
    async (job, token) => {
      // Fleet checks left on this queue by a version before FLEET_CHECK_QUEUE carry a check id.
      if (job.name !== 'diagnose') throw new UnrecoverableError(`unknown job ${job.name}`);
      const attempt = {
        id: job.id ?? job.data.incidentId,
        attemptsMade: job.attemptsMade,
        attempts: job.opts.attempts ?? 1,
        progress: {
          sshAttempts: job.data.sshAttempts ?? 0,
          diagnosedAt: job.data.diagnosedAt ?? null,
        },
        saveProgress: (p: JobProgress) => job.updateData({ ...job.data, ...p }),
        holdsLock: () => holdsLock(job, token),
      };
      const d = await settle(job, token, () =>
        processDiagnoseJob(jobDeps(attempt.id), job.data.incidentId, attempt),
      );
      return d.verdict;
    },
    { ...common, concurrency: opts.concurrency },
  );
  // A fleet check is a flow on one queue: `fleet-chunk` children (any worker takes each; a
  // killed worker's chunk returns through the stalled check) and the `fleet-summary` parent.
  const fleetCheckWorker = new Worker<
    FleetChunkJobData | FleetSummaryJobData,
    FleetChunkResult | string
  >(
    FLEET_CHECK_QUEUE,
    async (job, token) => {
      const jobId = job.id ?? job.data.checkId;
      const data = job.data;
      if (job.name === 'fleet-chunk' && 'chunk' in data)
        return settle(job, token, () =>
          processFleetChunkJob(
            { ...jobDeps(jobId), checks: opts.checks },
            { checkId: data.checkId, chunk: data.chunk, hosts: data.hosts },
          ),
        );
      if (job.name === 'fleet-summary' && 'chunks' in data) {
        const outcomes = await readFleetChunkResults(job, data, opts.log);
        const ds = await settle(job, token, () =>
          processFleetCheckJob(
            { ...jobDeps(jobId), checks: opts.checks, replies: opts.incidents },
            { checkId: data.checkId, chunks: data.chunks, jobId, ...outcomes },
          ),
        );
        return `${ds.length} hosts`;
      }
      // A whole-fleet `fleet-check` job queued by a version before flows: its check is lost.
      throw new UnrecoverableError(`unknown job ${job.name}`);
    },
    { ...common, concurrency: opts.concurrency },
  );
  const refreshRootWorker = new Worker<RefreshRootJobData, string>(
    REFRESH_ROOT_QUEUE,
    (job, token) =>
      settle(job, token, () =>
        processRefreshRootJob(
          { incidents: opts.incidents, slack: opts.slack },
          job.data.incidentId,
          () => holdsLock(job, token),
        ),
      ),
    { ...common, concurrency: Math.max(1, Math.min(opts.concurrency, 10)) },
  );
  const heldSummaryWorker = new Worker<HeldSummaryJobData, HeldSummaryOutcome>(
    HELD_SUMMARY_QUEUE,
    (job, token) =>
      settle(job, token, () =>
        processHeldSummaryJob(
          { store: opts.heldSummaries, slack: opts.slack, history: opts.history, log: opts.log },
          { source: job.data.source, minute: job.data.minute },
        ),
      ),
    { ...common, concurrency: 2 },
  );
  const workers = [diagnoseWorker, fleetCheckWorker, refreshRootWorker, heldSummaryWorker];
  for (const w of workers) {
    w.on('failed', (job, err) =>
      opts.log.warn(
        {
          jobId: job?.id,
          queue: w.name,
          data: job?.data,
          err: err.message,
          attemptsMade: job?.attemptsMade,
        },
        'job failed',
      ),
    );
    logQueueErrors(w, w.name, opts.log);
  }
  return {
    close: () => closeWithin(workers, opts.drainMs, opts.log),
  };
}
