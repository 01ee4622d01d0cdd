/**
 * Job payloads carry ids only: the incident or fleet check record in Redis holds host, port and
 * thread, and no secret ever travels through the queue. Each queue is named after what it carries.
 */
export const DIAGNOSE_QUEUE = 'portbot-diagnose';
export const FLEET_CHECK_QUEUE = 'portbot-fleet-check';
export const REFRESH_ROOT_QUEUE = 'portbot-refresh-root';
/** Approved remediation requests, run by the executor (attempts: 1; see enqueueRemediation). */
export const REMEDIATION_QUEUE = 'portbot-remediation';

/** One incident (alert or `/port check <host>`), one host. */
export interface DiagnoseJobData {
  incidentId: string;
  /** Progress the job keeps across its retries (see JobProgress); absent on a new job. */
  sshAttempts?: number;
  diagnosedAt?: number | null;
}

/** `/port check group:<name>` / `check all`: the inventory names of the hosts to check. */
export interface FleetCheckJobData {
  checkId: string;
  hosts: string[];
}

export interface RefreshRootJobData {
  incidentId: string;
}

export type DiagnoseJobName = 'diagnose';
export type FleetCheckJobName = 'fleet-check';
export type RefreshRootJobName = 'refresh-root';

/** An approved request: everything else (plan, hosts, thread) is read from its record. */
export interface RemediationJobData {
  requestId: string;
}

export type RemediationJobName = 'remediate';
