import { notFullySwept, type HostSweep, type SweepRisk } from './SweepRisk';

/** One risk as the digest remembers it between sweeps. */
export interface RiskMark {
  host: string;
  code: SweepRisk['code'];
  port: number | null;
  /** severity and subject: what makes a known risk "changed". */
  state: string;
}

export interface RiskDiff {
  /** Risks not in the previous set, or whose severity or subject changed. */
  fresh: { host: string; risk: SweepRisk; change: 'new' | 'changed' }[];
  unchanged: number;
  /** In the previous set, gone now (hosts that could not be swept keep theirs). */
  resolved: RiskMark[];
}

export function riskKey(m: Pick<RiskMark, 'host' | 'code' | 'port'>): string {
  return JSON.stringify([m.host, m.code, m.port]);
}

export function markRisks(sweeps: readonly HostSweep[]): RiskMark[] {
  return sweeps.flatMap((s) =>
    s.risks.map((r) => ({
      host: s.host,
      code: r.code,
      port: r.port,
      state: `${r.severity}|${r.subject}`,
    })),
  );
}

/**
 * Pure: what a digest reports. `previous` null is the first sweep (everything is new). A host
 * that could not be swept this time keeps its previous risks (carried over by the caller with
 * `carryOver`), so its known risks are not reported resolved and then new again.
 */
export function diffRisks(
  previous: readonly RiskMark[] | null,
  sweeps: readonly HostSweep[],
): RiskDiff {
  const before = new Map((previous ?? []).map((m) => [riskKey(m), m]));
  const fresh: RiskDiff['fresh'] = [];
  let unchanged = 0;
  const seen = new Set<string>();
  for (const s of sweeps) {
    for (const risk of s.risks) {
      const mark = { host: s.host, code: risk.code, port: risk.port };
      const key = riskKey(mark);
      seen.add(key);
      const old = before.get(key);
      if (!old) fresh.push({ host: s.host, risk, change: 'new' });
      else if (old.state !== `${risk.severity}|${risk.subject}`)
        fresh.push({ host: s.host, risk, change: 'changed' });
      else unchanged += 1;
    }
  }
  const failed = new Set(sweeps.filter(notFullySwept).map((s) => s.host));
  const resolved = [...before.values()].filter((m) => !seen.has(riskKey(m)) && !failed.has(m.host));
  return { fresh, unchanged, resolved };
}

/** The set to remember: this sweep's risks, plus the previous ones of hosts not swept now. */
export function carryOver(
  previous: readonly RiskMark[] | null,
  sweeps: readonly HostSweep[],
): RiskMark[] {
  const failed = new Set(sweeps.filter(notFullySwept).map((s) => s.host));
  return [...markRisks(sweeps), ...(previous ?? []).filter((m) => failed.has(m.host))];
}
