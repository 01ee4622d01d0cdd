import type { Diagnosis, Finding } from '../domain/diagnosis';
import type { HaGroupConfig } from '../domain/HostConfig';

/** Whether one member holds its group's VIP, from its diagnosis or a VIP-only probe. */
export interface VipView {
  host: string;
  holdsVip: boolean;
  /** Where the fact comes from, for the finding: `diagnosis` or `vip probe`. */
  source: 'diagnosis' | 'vip probe';
}

/** A member whose VIP could not be asked (unreachable, host key changed): the check is partial. */
export interface UncheckedPeer {
  host: string;
  group: string;
  /** The failure's code and message, e.g. `HOST_KEY_MISMATCH: …`. */
  reason: string;
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
  unchecked: readonly UncheckedPeer[] = [],
): Diagnosis[] {
  const views = [...diagnoses.map(viewOf).filter((v): v is VipView => v !== null), ...peers];
  const findings = new Map<string, Finding>();
  for (const group of groups) {
    const holders = vipHolders(group, views);
    if (holders.length < 2) continue;
    for (const m of group.members) findings.set(m, splitBrainFinding(group, holders));
  }
  // Said, not skipped: a peer that cannot be asked may hold the VIP too (or sit behind a
  // changed host key), and a silent "no split brain" would overstate what was checked.
  const partial = new Map<string, Finding[]>();
  for (const group of groups) {
    for (const u of unchecked.filter((x) => x.group === group.name)) {
      const f: Finding = {
        code: 'vip-peer-unchecked',
        detail: `split brain not checked against ${u.host} (group ${group.name}): ${u.reason}`,
      };
      for (const m of group.members) partial.set(m, [...(partial.get(m) ?? []), f]);
    }
  }
  return diagnoses.map((d) => {
    if (!d.ha) return d;
    const split = findings.get(d.host);
    const added = [...(split ? [split] : []), ...(partial.get(d.host) ?? [])];
    return added.length > 0 ? { ...d, findings: [...d.findings, ...added] } : d;
  });
}
