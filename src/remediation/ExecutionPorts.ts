import type { AuditLog } from '../audit/AuditLog';
import type { Log } from '../domain/Log';
import type { Diagnosis } from '../domain/diagnosis';
import type { HostConfig } from '../domain/HostConfig';
import type { ProbeResults } from '../domain/ProbeResults';
import type { RemediationRunner } from './RemediationRunner';
import type { PlanStep } from './RemediationPlan';

/** A fresh read-only look at a host: the diagnosis and the probe data it was made from. */
export interface Observation {
  diagnosis: Diagnosis;
  /** Null when the host could not be probed (the diagnosis is then `unreachable`). */
  probes: ProbeResults | null;
}

/**
 * One remediation per HA group (or lone host) at a time. The token grows on every acquisition,
 * so a holder whose lock expired and was taken over sees `holds` fail before its next step.
 */
export interface FencingLock {
  /** The new fencing token, or null when another run holds the scope. */
  acquire(scope: string, ttlMs: number): Promise<number | null>;
  /** True while `token` is still the scope's holder; extends the lock by ttlMs. */
  holds(scope: string, token: number, ttlMs: number): Promise<boolean>;
  release(scope: string, token: number): Promise<void>;
}

export interface JournalState {
  /** Step numbers (1-based) whose run began (intent), and those that completed, in any order. */
  started: number[];
  done: number[];
}

/**
 * Per request, which steps began and which ended. A step that began but never ended has an
 * unknown outcome: the request is aborted and nothing runs again.
 */
export interface StepJournal {
  read(requestId: string): Promise<JournalState>;
  /** False when the step was begun before (by this run or a lost one). */
  begin(requestId: string, step: number): Promise<boolean>;
  complete(requestId: string, step: number): Promise<void>;
}

export type StepStatus = 'running' | 'done' | 'failed';

export interface StepProgress {
  /** 1-based, as `portbot plan` numbers the steps. */
  number: number;
  step: PlanStep;
  status: StepStatus;
  /** Why a step failed, or what its verification saw. */
  detail: string | null;
}

export interface ExecuteDeps {
  /** Hosts of the plan by inventory name, with their remediation credential. */
  hosts: ReadonlyMap<string, HostConfig>;
  runner: RemediationRunner;
  /** Read-only re-probe (usecases/observeHost over the diagnostic credential). */
  observe: (host: string, port: number) => Promise<Observation>;
  audit: AuditLog;
  lock: FencingLock;
  journal: StepJournal;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /**
   * Told before and after each step (e.g. to update the Slack message). Should not throw: a
   * throw, like any failing port, aborts the plan where it is (code executor-error).
   */
  onProgress: (p: StepProgress) => void | Promise<void>;
  /**
   * Ends the request with this outcome: an atomic compare-and-set on the request's state. True
   * for the one caller that ended it; false when another run already did (a takeover while this
   * worker was stopped): that run wrote the outcome, so this one writes nothing terminal.
   */
  settle: (outcome: ExecutionOutcome) => Promise<boolean>;
  /** How long the fencing lock lives without a step renewing it. */
  lockTtlMs: number;
  /** Between polls of a verification that has a deadline. */
  pollIntervalMs: number;
  /** Where a port's raw error goes; outcomes and Slack carry only where the run stopped. */
  log: Log;
}

export interface ExecutionContext {
  requestId: string;
  incidentId: string | null;
  /** Who the run is attributed to in the audit log (e.g. the last approver, or 'system'). */
  actor: string;
}

export type ExecutionStatus = 'succeeded' | 'failed' | 'aborted';

export type AbortCode =
  | 'ha-group-busy'
  | 'fencing-lost'
  | 'worker-lost'
  | 'audit-unavailable'
  | 'target-changed'
  | 'precondition-failed'
  | 'verification-failed'
  | 'unknown-host'
  | 'executor-error'
  | 'unverified-request'
  | 'approval-expired'
  | 'already-executed';

export interface ExecutionOutcome {
  status: ExecutionStatus;
  /** Null on success. */
  code: AbortCode | 'command-failed' | null;
  reason: string;
  /** Index of the last step that completed (in this run or, for worker-lost, a lost one). */
  lastCompletedStep: number | null;
  /** The failed step's `ifFails`: what stopping there leaves behind. */
  leftBehind: string | null;
}
