import type { Diagnosis, Finding } from '../domain/diagnosis';
import type { HaGroupConfig } from '../domain/HostConfig';

/** Whether one member holds its group's VIP, from its diagnosis or a VIP-only probe. */
export interface VipView {
  host: string;
  holdsVip: boolean;
  /** Where the fact comes from, for the finding: `diagnosis` or `vip probe`. */
  source: 'diagnosis' | 'vip probe';
}

/** The members that hold the group's VIP, from the views of this group's members. */
export function vipHolders(group: HaGroupConfig, views: readonly VipView[]): string[] {
  return group.members.filter((m) => views.some((v) => v.host === m && v.holdsVip));
}

/** What a diagnosis of a member says about the VIP; null when it was not probed. */
export function viewOf(d: Diagnosis): VipView | null {
  if (d.verdict === 'unreachable' || d.ha === null) return null;
  if (d.findings.some((f) => f.code === 'ha-not-probed' || f.code === 'vip-check-failed'))
    return null;
  return { host: d.host, holdsVip: d.ha.holdsVip, source: 'diagnosis' };
}

export function splitBrainFinding(group: HaGroupConfig, holders: readonly string[]): Finding {
  return {
    code: 'vip-split-brain',
    detail:
      `VIP ${group.vip} of group ${group.name} is on ${holders.join(' and ')} at once (split brain): ` +
      'clients reach whichever answered ARP last. Check VRRP between the members (adverts lost, a ' +
      'frozen keepalived) and remove the VIP from the member that should be BACKUP',
  };
}

/**
 * Pure: every diagnosis of a member of a group whose VIP more than one member holds gets a
 * `vip-split-brain` finding (whatever its verdict). `peers` are VIP-only probes of members not
 * diagnosed in this run; a member seen neither way does not count.
 */
export function withSplitBrain(
  diagnoses: readonly Diagnosis[],
  groups: readonly HaGroupConfig[],
  peers: readonly VipView[],
): Diagnosis[] {
  const views = [...diagnoses.map(viewOf).filter((v): v is VipView => v !== null), ...peers];
  const findings = new Map<string, Finding>();
  for (const group of groups) {
    const holders = vipHolders(group, views);
    if (holders.length < 2) continue;
    for (const m of group.members) findings.set(m, splitBrainFinding(group, holders));
  }
  return diagnoses.map((d) => {
    const f = findings.get(d.host);
    return f && d.ha ? { ...d, findings: [...d.findings, f] } : d;
  });
}
