import { performance } from 'node:perf_hooks';
import { isSshFailureCode } from '../domain/sshErrorCodes';
import type { EnvConfig } from '../config/EnvConfigSchema';
import { findHost, hostsInScope } from '../domain/findHost';
import type { Logger } from '../observability/createLogger';
import type { Metrics } from '../observability/createMetrics';
import { RedisFleetCheckStore } from '../fleetChecks/RedisFleetCheckStore';
import { RedisHeldSummaryStore } from '../heldAlerts/RedisHeldSummaryStore';
import { RedisIncidentStore } from '../incidents/RedisIncidentStore';
import type { SlackPoster } from '../slack/SlackPoster';
import { SshPool } from '../ssh/SshPool';
import { diagnoseHost } from '../usecases/diagnoseHost';
import type { DiagnoseRequest } from '../worker/DiagnoseFn';
import { startWorkers } from '../worker/startWorkers';
import { loadStaticConfig } from '../config/loadStaticConfig';
import { loadPolicy } from '../config/loadPolicy';
import { redisEndpoint } from '../config/RedisEnvSchema';
import { startRemediationWorker } from '../worker/startRemediationWorker';
import { remediationWorkerDeps } from './remediationWorkerDeps';
import { approvalSignerFor } from './approvalSignerFor';
import { warnWithoutPersistence } from './checkRedisPersistence';
import { openAuditLog } from './openAuditLog';
import { closeRedis } from '../redis/closeRedis';
import { logRedisState } from './logRedisState';
import { redisForQueue, redisForState } from '../redis/redisConnection';
import { RedisHostGate } from '../redis/RedisHostGate';
import { RedisTokenBucket } from '../redis/RedisTokenBucket';
import { RateLimitedPoster } from '../slack/RateLimitedPoster';
import type { SlackHistory } from '../slack/SlackPoster';
import { RedisApprovalStore } from '../approval/redis/RedisApprovalStore';
import { startExpiryWorker } from '../worker/startExpiryWorker';
import { sweepQueue } from '../queue/sweepQueue';
import { RedisSweepStore } from '../sweep/redis/RedisSweepStore';
import { sweepHosts } from '../usecases/sweepHosts';
import { startSweepWorker } from '../worker/startSweepWorker';

/** Longest a diagnosis may hold its host slot: SSH connect and command timeouts, with margin. */
const HOST_SLOT_LEASE_MS = 120_000;

/** `portbot worker`: BullMQ workers that probe over SSH and post to Slack. */
export function startWorkerService(
  env: EnvConfig,
  deps: { log: Logger; slack: SlackPoster; history: SlackHistory; metrics: Metrics },
) {
  const { inventory, runbooks } = loadStaticConfig(env.PORTBOT_INVENTORY);
  const { policy } = loadPolicy(env.PORTBOT_POLICY);
  const signer = approvalSignerFor(env, policy);
  const log = deps.log.child({ component: 'worker' });
  const ssh = new SshPool({
    maxConcurrency: env.PORTBOT_WORKER_CONCURRENCY,
    onWarning: (m) => log.warn({ detail: m }, 'ssh warning'),
  });
  const stateRedis = redisForState(redisEndpoint(env));
  const queueRedis = redisForQueue(redisEndpoint(env));
  // One line per lost/restored connection instead of ioredis' "Unhandled error event" stacks.
  logRedisState(stateRedis, 'state', log);
  logRedisState(queueRedis, 'queue', log);
  const incidents = new RedisIncidentStore(stateRedis, env.PORTBOT_INCIDENT_TTL_S);
  const checks = new RedisFleetCheckStore(stateRedis, env.PORTBOT_INCIDENT_TTL_S);
  const { auditLog, audit, auditRedis, close: closeAudit } = openAuditLog(env, stateRedis, log);
  // Not awaited: the worker starts synchronously and the check never throws, it only logs.
  void warnWithoutPersistence(env.AUDIT_REDIS_URL !== undefined, stateRedis, auditRedis, log);
  const diagnose = async (hostName: string, port: number, request?: DiagnoseRequest) => {
    const started = performance.now();
    const d = await diagnoseHost(
      { runner: ssh, runbooks, now: () => performance.now() },
      inventory,
      findHost(inventory, hostName),
      port,
      { sampleMs: request?.sample ? env.PORTBOT_SAMPLE_SECONDS * 1000 : 0 },
    );
    deps.metrics.diagnosisSeconds.observe(
      { verdict: d.verdict },
      (performance.now() - started) / 1000,
    );
    // PROBE_FAILED is the probe script failing on a reachable host: not an SSH failure.
    if (d.failure && isSshFailureCode(d.failure.code)) {
      deps.metrics.sshErrors.inc({ class: d.failure.code });
    }
    return d;
  };
  const slack = new RateLimitedPoster(deps.slack, new RedisTokenBucket(stateRedis), {
    perChannel: { perSecond: env.PORTBOT_SLACK_PER_CHANNEL_PER_S, burst: 3 },
    updates: { perSecond: env.PORTBOT_SLACK_UPDATES_PER_MIN / 60, burst: 5 },
  });
  const workers = startWorkers({
    connection: queueRedis,
    incidents,
    checks,
    heldSummaries: new RedisHeldSummaryStore(stateRedis),
    slack,
    history: deps.history,
    hosts: new RedisHostGate(stateRedis, {
      slotsPerHost: env.PORTBOT_PER_HOST_CONCURRENCY,
      slotLeaseMs: HOST_SLOT_LEASE_MS,
      breakerMs: env.PORTBOT_HOST_BREAKER_MS,
    }),
    diagnose,
    log,
    audit,
    concurrency: env.PORTBOT_WORKER_CONCURRENCY,
    lockDurationMs: env.PORTBOT_JOB_LOCK_MS,
    stalledIntervalMs: env.PORTBOT_STALLED_INTERVAL_MS,
    drainMs: env.PORTBOT_DRAIN_MS,
  });
  const remediation = remediationWorkerDeps({
    env,
    policy,
    signer,
    inventory,
    runbooks,
    readOnly: ssh,
    stateRedis,
    queueRedis,
    slack,
    auditLog,
    audit,
    log,
  });
  const remediationWorker = startRemediationWorker({
    connection: queueRedis,
    deps: remediation.deps,
    log,
    concurrency: env.PORTBOT_REMEDIATION_CONCURRENCY,
    lockDurationMs: env.PORTBOT_JOB_LOCK_MS,
    stalledIntervalMs: env.PORTBOT_STALLED_INTERVAL_MS,
    planDrainMs: env.PORTBOT_REMEDIATION_DRAIN_MS,
    idleDrainMs: env.PORTBOT_DRAIN_MS,
  });
  // Remediation requests nobody decided in time (issue 7): kept apart from startWorkers.
  const expiry = startExpiryWorker({
    connection: queueRedis,
    approvals: new RedisApprovalStore(stateRedis),
    slack,
    audit,
    log,
    lockDurationMs: env.PORTBOT_JOB_LOCK_MS,
    stalledIntervalMs: env.PORTBOT_STALLED_INTERVAL_MS,
    drainMs: env.PORTBOT_DRAIN_MS,
  });
  // Prevention sweeps (issue 11): `/port sweep` and the schedule, one digest per run.
  const sweeps = sweepQueue(queueRedis, undefined, log);
  const sweepChannel = env.PORTBOT_SWEEP_CHANNEL ?? env.PORTBOT_ALERT_CHANNEL ?? null;
  const sweepCron = env.PORTBOT_SWEEP_CRON === 'off' ? null : env.PORTBOT_SWEEP_CRON;
  if (sweepCron !== null && sweepChannel === null)
    log.warn(
      { cron: sweepCron },
      'no scheduled sweep: neither PORTBOT_SWEEP_CHANNEL nor PORTBOT_ALERT_CHANNEL is set',
    );
  // Not awaited: the worker starts synchronously; a Redis hiccup here only logs.
  void sweeps
    .schedule(sweepCron, sweepChannel, env.PORTBOT_SWEEP_TZ)
    .catch((err: unknown) => log.warn({ err: String(err) }, 'sweep schedule not set'));
  const sweepWorker = startSweepWorker({
    connection: queueRedis,
    deps: {
      store: new RedisSweepStore(stateRedis),
      sweep: (scope) =>
        sweepHosts(
          { runner: ssh, runbooks },
          inventory,
          hostsInScope(inventory, scope),
          env.PORTBOT_WORKER_CONCURRENCY,
        ),
      slack,
      history: deps.history,
      log,
      audit,
    },
    log,
    lockDurationMs: env.PORTBOT_JOB_LOCK_MS,
    stalledIntervalMs: env.PORTBOT_STALLED_INTERVAL_MS,
    drainMs: env.PORTBOT_DRAIN_MS,
  });
  log.info(
    { hosts: inventory.hosts.length, concurrency: env.PORTBOT_WORKER_CONCURRENCY, sweepCron },
    'worker started',
  );
  return {
    incidents,
    close: async () => {
      await Promise.all([
        workers.close(),
        expiry.close(),
        sweepWorker.close(),
        remediationWorker.close(),
      ]);
      await remediation.close();
      await sweeps.close();
      await ssh.close();
      await Promise.all([closeRedis(stateRedis), closeRedis(queueRedis)]);
      await closeAudit();
    },
  };
}
