import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import type { ApprovalSigner } from '../approval/approvalMac';
import { RedisApprovalStore } from '../approval/redis/RedisApprovalStore';
import type { AuditLog } from '../audit/AuditLog';
import type { RecordAudit } from '../audit/recordAudit';
import type { EnvConfig } from '../config/EnvConfigSchema';
import type { Inventory } from '../domain/HostConfig';
import type { Log } from '../domain/Log';
import type { Policy } from '../domain/Policy';
import type { Runbook } from '../domain/Runbook';
import type { CommandRunner } from '../domain/CommandRunner';
import { remediationEnqueuer } from '../queue/enqueueRemediation';
import { approvalExpiryScheduler } from '../queue/scheduleApprovalExpiry';
import { executePlan } from '../remediation/executePlan';
import { RedisFencingLock } from '../remediation/redis/RedisFencingLock';
import { RedisStepJournal } from '../remediation/redis/RedisStepJournal';
import type { SlackPoster } from '../slack/SlackPoster';
import { SshPool } from '../ssh/SshPool';
import { SshRemediationRunner } from '../ssh/SshRemediationRunner';
import { PortbotError } from '../domain/PortbotError';
import { observeHost } from '../usecases/observeHost';
import type { RemediationJobDeps } from '../worker/processRemediationJob';

/** Between polls of a verification with a deadline (port free, VIP moved). */
const POLL_INTERVAL_MS = 200;

/**
 * The executor's adapters for `portbot worker`: re-probes go over the read-only credential's
 * runner, mutating commands over a pool of their own on the remediation credential.
 */
export function remediationWorkerDeps(input: {
  env: EnvConfig;
  policy: Policy;
  /** Checks serve's MACs on the request and its approvals before anything runs. */
  signer: ApprovalSigner | null;
  inventory: Inventory;
  runbooks: ReadonlyMap<string, Runbook>;
  readOnly: CommandRunner;
  stateRedis: Redis;
  queueRedis: Redis;
  slack: SlackPoster;
  auditLog: AuditLog;
  audit: RecordAudit;
  log: Log;
}): { deps: RemediationJobDeps; close: () => Promise<void> } {
  const { env, inventory } = input;
  const pool = new SshPool({
    onWarning: (m) => input.log.warn({ detail: m }, 'ssh warning'),
  });
  const runner = new SshRemediationRunner(pool);
  const hosts = new Map(inventory.hosts.map((h) => [h.name, h]));
  const diagnoseDeps = {
    runner: input.readOnly,
    runbooks: input.runbooks,
    now: () => performance.now(),
  };
  const lock = new RedisFencingLock(input.stateRedis);
  const journal = new RedisStepJournal(input.stateRedis);
  const approvals = new RedisApprovalStore(input.stateRedis);
  const enqueuer = remediationEnqueuer(input.queueRedis, undefined, input.log);
  const expiry = approvalExpiryScheduler(input.queueRedis, undefined, undefined, input.log);
  const deps: RemediationJobDeps = {
    approvals,
    effects: {
      slack: input.slack,
      approvals,
      audit: input.audit,
      enqueueExecution: enqueuer.enqueueExecution,
      scheduleExpiry: expiry.scheduleExpiry,
      log: input.log,
    },
    execute: (plan, ctx, { onProgress, settle }) =>
      executePlan(
        {
          hosts,
          runner,
          observe: (name, port) => {
            const host = hosts.get(name);
            if (!host) {
              throw new PortbotError('CONFIG_INVALID', `${name} is not in the inventory`);
            }
            return observeHost(diagnoseDeps, inventory, host, port);
          },
          audit: input.auditLog,
          lock,
          journal,
          now: () => performance.now(),
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
          onProgress,
          settle,
          lockTtlMs: env.PORTBOT_REMEDIATION_LOCK_MS,
          pollIntervalMs: POLL_INTERVAL_MS,
          log: input.log,
        },
        plan,
        ctx,
      ),
    lock,
    journal,
    audit: input.auditLog,
    // Execution events carry no person: the policy and team are not consulted for them.
    approvalContext: {
      policy: input.policy.remediation,
      teamId: '',
      actorGroups: [],
      signer: input.signer,
    },
    lockTtlMs: env.PORTBOT_REMEDIATION_LOCK_MS,
    now: () => Date.now(),
    log: input.log,
  };
  return {
    deps,
    close: async () => {
      await Promise.all([enqueuer.close(), expiry.close()]);
      await pool.close();
    },
  };
}
