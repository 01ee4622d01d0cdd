import { UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import pLimit from 'p-limit';
import type { Diagnosis } from '../domain/diagnosis';
import type { RecordAudit } from '../audit/recordAudit';
import type { Log } from '../domain/Log';
import { isPortbotError } from '../domain/PortbotError';
import type { FleetCheckStore } from '../fleetChecks/FleetCheck';
import type { IncidentStore } from '../incidents/Incident';
import {
  DIAGNOSE_QUEUE,
  FLEET_CHECK_QUEUE,
  REFRESH_ROOT_QUEUE,
  type DiagnoseJobData,
  type FleetCheckJobData,
  type RefreshRootJobData,
} from '../queue/jobTypes';
import type { SlackPoster } from '../slack/SlackPoster';
import { processDiagnoseJob } from './processDiagnoseJob';
import { processFleetCheckJob } from './processFleetCheckJob';
import { processRefreshRootJob } from './processRefreshRootJob';

export interface WorkerOptions {
  connection: ConnectionOptions;
  prefix?: string;
  incidents: IncidentStore;
  checks: FleetCheckStore;
  slack: SlackPoster;
  diagnose: (host: string, port: number) => Promise<Diagnosis>;
  log: Log;
  audit: RecordAudit;
  concurrency: number;
  /** SSH diagnoses this process runs against one host at once (an alert storm must not flood a box). */
  perHostConcurrency: number;
  /** How long a job stays locked to this process; a crashed worker's jobs return after it. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface RunningWorkers {
  /** Stops taking jobs, lets running ones finish (or hands them back), closes connections. */
  close(): Promise<void>;
}

export function startWorkers(opts: WorkerOptions): RunningWorkers {
  const perHost = new Map<string, ReturnType<typeof pLimit>>();
  const limited = (host: string, port: number) => {
    let limit = perHost.get(host);
    if (!limit) perHost.set(host, (limit = pLimit(opts.perHostConcurrency)));
    return limit(() => opts.diagnose(host, port));
  };
  const common = {
    connection: opts.connection,
    prefix: opts.prefix ?? 'portbot',
    ...(opts.lockDurationMs !== undefined ? { lockDuration: opts.lockDurationMs } : {}),
    ...(opts.stalledIntervalMs !== undefined ? { stalledInterval: opts.stalledIntervalMs } : {}),
  };
  const jobDeps = {
    incidents: opts.incidents,
    slack: opts.slack,
    diagnose: limited,
    log: opts.log,
    audit: opts.audit,
  };
  // The job keeps only the verdict as its result: the diagnosis itself lives with the incident.
  const diagnoseWorker = new Worker<DiagnoseJobData, string>(
    DIAGNOSE_QUEUE,
    async (job) => {
      // Fleet checks left on this queue by a version before FLEET_CHECK_QUEUE carry a check id.
      if (job.name !== 'diagnose') throw new UnrecoverableError(`unknown job ${job.name}`);
      const attempt = {
        id: job.id ?? job.data.incidentId,
        attemptsMade: job.attemptsMade,
        attempts: job.opts.attempts ?? 1,
      };
      const d = await stopUnrecoverable(processDiagnoseJob(jobDeps, job.data.incidentId, attempt));
      return d.verdict;
    },
    { ...common, concurrency: opts.concurrency },
  );
  const fleetCheckWorker = new Worker<FleetCheckJobData, string>(
    FLEET_CHECK_QUEUE,
    async (job) => {
      const ds = await stopUnrecoverable(
        processFleetCheckJob(
          { ...jobDeps, checks: opts.checks, claims: opts.incidents },
          { checkId: job.data.checkId, hosts: job.data.hosts, jobId: job.id ?? job.data.checkId },
        ),
      );
      return `${ds.length} hosts`;
    },
    { ...common, concurrency: opts.concurrency },
  );
  const refreshRootWorker = new Worker<RefreshRootJobData, string>(
    REFRESH_ROOT_QUEUE,
    (job) =>
      stopUnrecoverable(
        processRefreshRootJob(
          { incidents: opts.incidents, slack: opts.slack },
          job.data.incidentId,
        ),
      ),
    { ...common, concurrency: Math.max(1, Math.min(opts.concurrency, 10)) },
  );
  const workers = [diagnoseWorker, fleetCheckWorker, refreshRootWorker];
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
    w.on('error', (err) => opts.log.error({ err: err.message }, 'worker error'));
  }
  return {
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

/** Errors we raised on purpose that a retry cannot fix (bad data, missing record) stop here. */
async function stopUnrecoverable<T>(job: Promise<T>): Promise<T> {
  try {
    return await job;
  } catch (err) {
    if (isPortbotError(err) && err.code === 'INTERNAL') throw new UnrecoverableError(err.message);
    throw err;
  }
}
