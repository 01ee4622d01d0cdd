import pLimit from 'p-limit';
import type { Diagnosis } from '../domain/diagnosis';
import type { HostConfig, Inventory } from '../domain/HostConfig';
import { addSplitBrain, peerVipViews } from './addSplitBrain';
import type { DiagnoseDeps } from './diagnoseHost';
import { observeHost, type ObserveOptions } from './observeHost';

/**
 * Diagnoses hosts in parallel (at most `concurrency` at once) and checks their HA groups for a
 * split brain; results keep the input order. `onDiagnosed` hears of each host as it finishes (the
 * CLI's progress line).
 */
export async function diagnoseMany(
  deps: DiagnoseDeps,
  inventory: Inventory,
  hosts: readonly HostConfig[],
  port: number,
  concurrency: number,
  opts: ObserveOptions = {},
  onDiagnosed: (d: Diagnosis) => void = () => undefined,
): Promise<Diagnosis[]> {
  const limit = pLimit(Math.max(1, concurrency));
  // Members diagnosed together see each other's VIP; only the others are asked, from the start.
  const peers = peerVipViews(
    deps,
    inventory,
    hosts.map((h) => h.name),
  );
  const observed = await Promise.all(
    hosts.map((h) =>
      limit(async () => {
        const o = await observeHost(deps, inventory, h, port, opts);
        onDiagnosed(o.diagnosis);
        return o;
      }),
    ),
  );
  return addSplitBrain(
    observed.map((o) => o.diagnosis),
    peers,
  );
}
