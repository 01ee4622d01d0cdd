import type { HaGroupConfig } from '../domain/HostConfig';
import type { SweepProbe } from '../domain/SweepProbe';
import type { SweepRisk } from './SweepRisk';

/**
 * Pure: keepalived VIP risks of one HA group, per member. `probes` maps each member to its
 * sweep, or null when it could not be swept: the VIP is "held by none" only when every member
 * answered (an unreachable member may hold it).
 */
export function findVipRisks(
  group: HaGroupConfig,
  probes: ReadonlyMap<string, SweepProbe | null>,
): Map<string, SweepRisk[]> {
  const out = new Map<string, SweepRisk[]>();
  const swept = group.members.filter((m) => probes.get(m));
  const holders = swept.filter((m) => probes.get(m)?.ha?.holdsVip === true);
  const vipEvidence = (m: string) =>
    (probes.get(m)?.evidence ?? [])
      .filter((e) => e.probe === 'vip' || e.probe === 'keepalived')
      .map((e) => ({ ...e, probe: `${m}:${e.probe}` }));
  if (holders.length > 1) {
    const risk: SweepRisk = {
      code: 'vip-split-brain',
      port: null,
      severity: 'high',
      detail: `VIP ${group.vip} of haGroup ${group.name} is on ${holders.length} members at once (${holders.join(', ')}): traffic splits and ARP flaps between them`,
      subject: holders.join(','),
      evidence: holders.flatMap(vipEvidence),
    };
    for (const m of holders) out.set(m, [risk]);
  } else if (holders.length === 0 && swept.length === group.members.length && swept.length > 0) {
    const risk: SweepRisk = {
      code: 'vip-not-held',
      port: null,
      severity: 'high',
      detail: `VIP ${group.vip} of haGroup ${group.name} is on no member (${group.members.join(', ')}): nothing answers on it`,
      subject: group.vip,
      evidence: swept.flatMap(vipEvidence),
    };
    for (const m of swept) out.set(m, [risk]);
  }
  return out;
}
