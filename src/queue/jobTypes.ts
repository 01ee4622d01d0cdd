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

/**
 * `/port check group:<name>` / `check all` is a BullMQ flow on FLEET_CHECK_QUEUE: one
 * `fleet-chunk` child per chunk of hosts (see chunkHosts), any worker diagnoses it and returns a
 * FleetChunkResult; the `fleet-summary` parent runs once every child has ended and writes the
 * thread. Hosts are inventory names.
 */
export interface FleetChunkJobData {
  checkId: string;
  /** Index in the parent's `chunks`. */
  chunk: number;
  hosts: string[];
}

export interface FleetSummaryJobData {
  checkId: string;
  /** The chunks the children diagnose, so the parent can name the hosts of a child that failed. */
  chunks: string[][];
}

/** Deterministic job ids: starting the same check twice adds nothing (BullMQ keeps existing ids). */
export function fleetSummaryJobId(checkId: string): string {
  return `fleet-${checkId}`;
}

export function fleetChunkJobId(checkId: string, chunk: number): string {
  return `fleet-${checkId}-chunk-${chunk}`;
}

export interface RefreshRootJobData {
  incidentId: string;
}

export type DiagnoseJobName = 'diagnose';
export type FleetCheckJobName = 'fleet-summary' | 'fleet-chunk';
export type RefreshRootJobName = 'refresh-root';

/** An approved request: everything else (plan, hosts, thread) is read from its record. */
export interface RemediationJobData {
  requestId: string;
}

export type RemediationJobName = 'remediate';
