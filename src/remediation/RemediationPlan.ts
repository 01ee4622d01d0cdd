import type { Diagnosis } from '../domain/diagnosis';
import type { HaGroupConfig, HostConfig } from '../domain/HostConfig';
import type { PortRange } from '../domain/ProbeResults';
import type { Runbook } from '../domain/Runbook';

/** What a requester may ask for; escalate-kill (SIGKILL) is only ever its own, separate request. */
export const REMEDIATION_ACTIONS = [
  'kill-occupant',
  'escalate-kill',
  'restart-lb',
  'reload-lb',
  'reserve-port',
] as const;
export type RemediationAction = (typeof REMEDIATION_ACTIONS)[number];

/** Step kinds: docs/reference/remediation.md, "Plan steps". */
export type StepKind =
  | 'recheck-target'
  | 'config-test'
  | 'verify-peer'
  | 'demote'
  | 'wait-vip-moved'
  | 'signal'
  | 'wait-port-free'
  | 'start-lb'
  | 'reload-lb'
  | 'restart-lb'
  | 'verify-listening'
  | 'promote'
  | 'verify-vip'
  | 'reserve-port'
  | 'persist-reserved-ports'
  | 'close-connection';

/** One TCP connection, exactly: what `ss -K` may end and nothing else. */
export interface FourTuple {
  localIp: string;
  localPort: number;
  peerIp: string;
  peerPort: number;
}

/**
 * The process identity an approval is bound to: pid reuse changes startTicks; a re-exec keeps pid
 * and start ticks (and, for the same interpreter, exe) but changes the command line.
 */
export interface TargetIdentity {
  pid: number;
  startTicks: number;
  exe: string;
  uid: number;
  /** /proc/PID/cmdline as diagnosed; null when it could not be read (then not compared). */
  cmdline: string | null;
}

/**
 * A fact the executor establishes on a host (from a fresh probe or a command's exit code) before
 * or after a step. Typed data, so the executor never parses a step's prose.
 */
export type Check =
  | { kind: 'exit-zero' }
  | ({ kind: 'occupant-is'; host: string; port: number } & TargetIdentity)
  | { kind: 'port-free'; host: string; port: number; withinMs: number }
  | { kind: 'lb-listening'; host: string; port: number; withinMs: number }
  | { kind: 'vip-not-on'; host: string; vip: string }
  | { kind: 'vip-moved'; from: string; to: string[]; vip: string; withinMs: number }
  | { kind: 'vip-held-once'; by: string[]; vip: string; withinMs: number }
  | { kind: 'reserved-ports-are'; host: string; ranges: PortRange[] }
  | { kind: 'port-reserved'; host: string; port: number }
  | { kind: 'connection-gone'; host: string; connection: FourTuple };

export interface PlanStep {
  host: string;
  kind: StepKind;
  /**
   * The exact command line for a mutating step. For a read-only check it is what an operator
   * would type to see the same thing; the executor checks with a fresh probe.
   */
  command: string;
  mutating: boolean;
  /** All must hold right before the step runs, else the plan stops here. */
  precondition: Check[];
  /** All must hold after the step, else the plan stops here. */
  verification: Check[];
  why: string;
  /** What stopping at this step leaves behind (e.g. the VIP stays on the peer). */
  ifFails: string;
}

/** How many approvals the plan needs: policy `approvals` plus the outage rule (docs/reference/remediation.md). */
export type ApprovalClass = 'default' | 'vip-holder' | 'outage';

export interface RemediationPlan {
  host: string;
  port: number;
  action: RemediationAction;
  approvalClass: ApprovalClass;
  /** The process a kill is bound to; null for LB and reserve-port plans. */
  target: TargetIdentity | null;
  ha: { group: string; vip: string; vipHolder: string | null; peers: string[] } | null;
  steps: PlanStep[];
}

export type PlanRefusalCode =
  | 'action-not-offered'
  | 'host-unreachable'
  | 'never-kill'
  | 'target-unidentified'
  | 'no-lb'
  | 'no-healthy-peer'
  | 'peer-unverified'
  | 'split-brain'
  | 'member-not-diagnosed'
  | 'input-mismatch'
  | 'bad-parameter';

export type PlanResult =
  { ok: true; plan: RemediationPlan } | { ok: false; code: PlanRefusalCode; reason: string };

export interface PlanTarget {
  host: HostConfig;
  /** The host's runbook with its inventory overrides applied (config/resolveLb). */
  lb: Runbook | null;
  /** The diagnosis the request was approved on. */
  diagnosis: Diagnosis;
  /** net.ipv4.ip_local_reserved_ports as probed; reserve-port needs it (writing replaces the list). */
  reservedPorts?: PortRange[] | null;
  /** The connection that holds the port (ephemeral-port-collision), for close-connection. */
  connection?: FourTuple | null;
}

export interface PlanOptions {
  /** How long SIGTERM gets before the port must be free. */
  termWaitMs: number;
  /** Approved through the louder outage button: act on the VIP holder without a healthy peer. */
  acceptOutage: boolean;
  /** reserve-port: also end the colliding connection (its own approval). */
  closeConnection: boolean;
  /** The remediation credential is not root: prefix privileged commands with `sudo -n`. */
  sudo: boolean;
}

export interface PlanInput {
  action: RemediationAction;
  target: PlanTarget;
  /** The target's HA group and the diagnosis of EVERY member (the target's included). */
  group: { config: HaGroupConfig; diagnoses: Diagnosis[] } | null;
  options: PlanOptions;
}
