import type { Redis } from 'ioredis';
import type { ApprovalSigner } from '../approval/approvalMac';
import { RedisApprovalStore } from '../approval/redis/RedisApprovalStore';
import type { RecordAudit } from '../audit/recordAudit';
import type { RemediationFlowDeps } from '../commands/RemediationFlowDeps';
import { termWaitMs, type Policy } from '../domain/Policy';
import type { Inventory } from '../domain/HostConfig';
import type { Log } from '../domain/Log';
import type { Runbook } from '../domain/Runbook';
import type { IncidentStore } from '../incidents/Incident';
import { remediationEnqueuer } from '../queue/enqueueRemediation';
import { approvalExpiryScheduler } from '../queue/scheduleApprovalExpiry';
import type { SlackPoster } from '../slack/SlackPoster';
import { SshPool } from '../ssh/SshPool';
import { planForHost } from '../usecases/planForHost';

/**
 * The approval flow's adapters for `serve`. Planning diagnoses the host and its HA peers with
 * the read-only credential, so serve holds an SSH pool for it; nothing here can change a host.
 */
export function remediationFlowDeps(input: {
  policy: Policy;
  signer: ApprovalSigner | null;
  inventory: Inventory;
  runbooks: ReadonlyMap<string, Runbook>;
  incidents: IncidentStore;
  stateRedis: Redis;
  queueRedis: Redis;
  poster: SlackPoster;
  /** Shared with the other policy checks (SlackUserGroups, one cache). */
  userGroups: RemediationFlowDeps['userGroups'];
  audit: RecordAudit;
  log: Log;
}): { deps: RemediationFlowDeps; close: () => Promise<void> } {
  const ssh = new SshPool({ onWarning: (m) => input.log.warn({ detail: m }, 'ssh warning') });
  const enqueuer = remediationEnqueuer(input.queueRedis, undefined, input.log);
  const expiry = approvalExpiryScheduler(input.queueRedis, undefined, undefined, input.log);
  const deps: RemediationFlowDeps = {
    policy: input.policy,
    signer: input.signer,
    incidents: input.incidents,
    approvals: new RedisApprovalStore(input.stateRedis),
    plan: (host, port, action, options) =>
      planForHost(
        { runner: ssh, runbooks: input.runbooks, now: () => performance.now() },
        input.inventory,
        host,
        port,
        action,
        { ...options, termWaitMs: termWaitMs(input.policy) },
      ),
    slack: input.poster,
    userGroups: input.userGroups,
    enqueueExecution: enqueuer.enqueueExecution,
    scheduleExpiry: expiry.scheduleExpiry,
    audit: input.audit,
    now: () => Date.now(),
    log: input.log,
  };
  return {
    deps,
    close: async () => {
      await enqueuer.close();
      await expiry.close();
      await ssh.close();
    },
  };
}
