/** Risk codes of `portbot sweep`, fixed for scripts (docs/reference/risks.md). */
export const SWEEP_RISK_CODES = [
  'port-in-ephemeral-range',
  'foreign-listener',
  'duplicate-listen',
  'socket-unit-overlap',
  'nodeport-range-overlap',
  'conntrack-pressure',
  'vip-split-brain',
  'vip-not-held',
] as const;
export type SweepRiskCode = (typeof SWEEP_RISK_CODES)[number];

export type RiskSeverity = 'high' | 'medium';

export interface SweepEvidence {
  probe: string;
  command: string;
  output: string;
}

export interface SweepRisk {
  code: SweepRiskCode;
  /** The LB port at risk; null for host-wide risks (conntrack, VIP). */
  port: number | null;
  severity: RiskSeverity;
  detail: string;
  /**
   * What the risk is about, stable across sweeps while the cause stays the same (the program
   * listening, the socket unit, the range, the VIP holders): a change of it or of the severity
   * makes the risk "changed" for the digest, a new count of sockets does not.
   */
  subject: string;
  evidence: SweepEvidence[];
}

/** One host's sweep: the `portbot sweep --json` array element. */
export interface HostSweep {
  host: string;
  /** The ports the LB must own: inventory lb.ports plus what its config declares. */
  lbPorts: number[];
  risks: SweepRisk[];
  /** Why the host could not be swept (unreachable, probe failed); null when it was. */
  failure: { code: string; message: string } | null;
  /**
   * What the sweep could not see on a host it reached (LB config or includes unread, no
   * conntrack, socket units unknown, owners hidden): its risks may be incomplete.
   */
  unseen: { code: string; detail: string }[];
}

/** Codes of `unseen` that leave the ports the LB must own unknown: the host counts as not swept. */
const LB_PORTS_UNKNOWN: readonly string[] = ['lb-config-unreadable', 'lb-config-includes-unread'];

/**
 * A host whose risks this sweep cannot vouch for: unreachable, or its LB config (the source of
 * the ports checked) could not be read in full. Such a host is never reported "ok", exits 3, and
 * its earlier risks are neither resolved nor forgotten.
 */
export function notFullySwept(s: HostSweep): boolean {
  return s.failure !== null || s.unseen.some((u) => LB_PORTS_UNKNOWN.includes(u.code));
}
