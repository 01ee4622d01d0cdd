import { withSplitBrain, type VipView } from '../diagnosis/splitBrain';
import type { Diagnosis } from '../domain/diagnosis';
import { findHost } from '../domain/findHost';
import type { Inventory } from '../domain/HostConfig';
import { collectVipState } from '../probes/collectVipState';
import type { DiagnoseDeps } from './diagnoseHost';

/**
 * The diagnosis of one member cannot see a split brain alone: the VIP of every group touched by
 * these diagnoses is looked up on the members not diagnosed here (one short read-only exec
 * each, in parallel), then the pure withSplitBrain adds the finding. A peer that cannot be
 * reached is left out (its own diagnosis would say why).
 */
export async function addSplitBrain(
  deps: DiagnoseDeps,
  inventory: Inventory,
  diagnoses: readonly Diagnosis[],
): Promise<Diagnosis[]> {
  const seen = new Set(diagnoses.map((d) => d.host));
  const groups = inventory.haGroups.filter((g) => g.members.some((m) => seen.has(m)));
  if (groups.length === 0) return [...diagnoses];
  const peers = groups.flatMap((g) =>
    g.members.filter((m) => !seen.has(m)).map((m) => ({ group: g, host: findHost(inventory, m) })),
  );
  const views = await Promise.all(
    peers.map(async ({ group, host }): Promise<VipView | null> => {
      try {
        const probe = await collectVipState(deps.runner, host, group);
        return probe ? { host: host.name, holdsVip: probe.holdsVip, source: 'vip probe' } : null;
      } catch {
        return null;
      }
    }),
  );
  return withSplitBrain(
    diagnoses,
    groups,
    views.filter((v): v is VipView => v !== null),
  );
}
