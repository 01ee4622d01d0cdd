import { withSplitBrain, type UncheckedPeer, type VipView } from '../diagnosis/splitBrain';
import { isPortbotError } from '../domain/PortbotError';
import type { Diagnosis } from '../domain/diagnosis';
import { findHost } from '../domain/findHost';
import type { HaGroupConfig, Inventory } from '../domain/HostConfig';
import { collectVipState } from '../probes/collectVipState';
import type { DiagnoseDeps } from './diagnoseHost';

export interface PeerViews {
  groups: HaGroupConfig[];
  views: VipView[];
  unchecked: UncheckedPeer[];
}

/**
 * The VIP of every group of `hostNames`, asked of the members not among them (one short
 * read-only exec each, in parallel). Started beside the hosts' own probes, so a hung peer costs
 * its timeout once, not after theirs. A peer that cannot be asked is named as unchecked.
 */
export async function peerVipViews(
  deps: DiagnoseDeps,
  inventory: Inventory,
  hostNames: readonly string[],
): Promise<PeerViews> {
  const seen = new Set(hostNames);
  const groups = inventory.haGroups.filter((g) => g.members.some((m) => seen.has(m)));
  const peers = groups.flatMap((g) =>
    g.members.filter((m) => !seen.has(m)).map((name) => ({ group: g, name })),
  );
  const unchecked: UncheckedPeer[] = [];
  const views = await Promise.all(
    // Never rejects: it runs unawaited beside the diagnoses, whose own failure must not leave
    // an unhandled rejection behind.
    peers.map(async ({ group, name }): Promise<VipView | null> => {
      try {
        const host = findHost(inventory, name);
        const probe = await collectVipState(deps.runner, host, group);
        if (!probe) unchecked.push({ host: name, group: group.name, reason: 'VIP not probed' });
        return probe ? { host: host.name, holdsVip: probe.holdsVip, source: 'vip probe' } : null;
      } catch (err) {
        const reason = isPortbotError(err) ? `${err.code}: ${err.message}` : 'probe failed';
        unchecked.push({ host: name, group: group.name, reason });
        return null;
      }
    }),
  );
  return { groups, views: views.filter((v): v is VipView => v !== null), unchecked };
}

/**
 * The diagnosis of one member cannot see a split brain alone: the peers' views (peerVipViews,
 * started by the caller beside the diagnoses) complete the picture, and the pure withSplitBrain
 * adds the finding.
 */
export async function addSplitBrain(
  diagnoses: readonly Diagnosis[],
  peers: Promise<PeerViews>,
): Promise<Diagnosis[]> {
  const { groups, views, unchecked } = await peers;
  if (groups.length === 0) return [...diagnoses];
  return withSplitBrain(diagnoses, groups, views, unchecked);
}
