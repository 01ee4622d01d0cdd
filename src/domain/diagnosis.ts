import type { SshFailureCode } from './sshErrorCodes';
import type { ActionKind, Risk, Verdict } from './verdict';

/** The process that holds the port (docs/reference/diagnosis-json.md). */
export interface Occupant {
  pid: number;
  ppid: number | null;
  user: string | null;
  uid: number | null;
  comm: string;
  cmdline: string | null;
  exe: string | null;
  /** ISO-8601 UTC, derived from startTicks, boot time and CLK_TCK. */
  startedAt: string | null;
  /** Field 22 of /proc/PID/stat: with the pid it identifies the process across PID reuse. */
  startTicks: number | null;
  socketState: string;
  localAddress: string;
  /** systemd unit found in the cgroup or the ppid chain, e.g. "nginx.service". */
  unit: string | null;
  /** e.g. "docker:3f1c…" or "kubepods:pod…/…"; null when not in a container. */
  container: string | null;
}

export interface LbState {
  kind: string;
  running: boolean;
  pid: number | null;
  listening: boolean;
}

export interface HaState {
  group: string;
  /** MASTER when keepalived runs and this node holds the VIP, BACKUP when it runs without it. */
  role: 'MASTER' | 'BACKUP' | 'FAULT' | 'UNKNOWN';
  vip: string;
  holdsVip: boolean;
}

export interface Finding {
  code: string;
  detail: string;
}

export interface Evidence {
  probe: string;
  command: string;
  output: string;
}

export interface Action {
  kind: ActionKind;
  risk: Risk;
  title: string;
  /** Human guidance for advice-only actions (e.g. the sysctl to set). */
  detail?: string;
}

/** Why a host could not be diagnosed, as data: the worker retries on `transient` without parsing text. */
export interface DiagnosisFailure {
  code: SshFailureCode | 'PROBE_FAILED';
  /** Worth a retry (refused, timed out); false when a human must act (credentials, host key). */
  transient: boolean;
}

export interface Diagnosis {
  host: string;
  port: number;
  verdict: Verdict;
  summary: string;
  occupant: Occupant | null;
  lb: LbState | null;
  ha: HaState | null;
  findings: Finding[];
  evidence: Evidence[];
  actions: Action[];
  durationMs: number;
  /** Set only for `unreachable`; null whenever the probes ran. */
  failure: DiagnosisFailure | null;
}
