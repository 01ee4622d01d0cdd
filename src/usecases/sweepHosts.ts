import pLimit from 'p-limit';
import { resolveLb } from '../config/resolveLb';
import { isDiagnosisFailureCode } from '../diagnosis/diagnosisFailure';
import type { CommandRunner } from '../domain/CommandRunner';
import { groupOf } from '../domain/findHost';
import type { HostConfig, Inventory } from '../domain/HostConfig';
import { isPortbotError } from '../domain/PortbotError';
import type { Runbook } from '../domain/Runbook';
import type { SweepProbe } from '../domain/SweepProbe';
import { collectSweepProbe } from '../probes/collectSweepProbe';
import { findHostRisks } from '../sweep/findHostRisks';
import { findVipRisks } from '../sweep/findVipRisks';
import type { HostSweep } from '../sweep/SweepRisk';

export interface SweepDeps {
  runner: CommandRunner;
  runbooks: ReadonlyMap<string, Runbook>;
}

/**
 * Sweep hosts in parallel (at most `concurrency` at once; one read-only exec each), then judge
 * each HA group whose members were all in the selection. Results keep the input order; a host
 * that cannot be swept gets `failure` instead of an exception.
 */
export async function sweepHosts(
  deps: SweepDeps,
  inventory: Inventory,
  hosts: readonly HostConfig[],
  concurrency: number,
): Promise<HostSweep[]> {
  const limit = pLimit(Math.max(1, concurrency));
  const probes = new Map<string, SweepProbe | null>();
  const sweeps = await Promise.all(
    hosts.map((host) =>
      limit(async (): Promise<HostSweep> => {
        const lb = resolveLb(host, deps.runbooks);
        try {
          const probe = await collectSweepProbe(deps.runner, host, lb, groupOf(inventory, host));
          probes.set(host.name, probe);
          const found = findHostRisks({
            name: host.name,
            labels: host.labels,
            inventoryPorts: host.lb?.ports ?? [],
            lbPrograms: lb?.programs ?? [],
            probe,
          });
          return { host: host.name, ...found, failure: null, unseen: probe.missing };
        } catch (err) {
          if (!(isPortbotError(err) && isDiagnosisFailureCode(err.code))) throw err;
          probes.set(host.name, null);
          return {
            host: host.name,
            lbPorts: host.lb?.ports ?? [],
            risks: [],
            failure: { code: err.code, message: err.message },
            unseen: [],
          };
        }
      }),
    ),
  );
  const byHost = new Map(sweeps.map((s) => [s.host, s]));
  for (const group of inventory.haGroups) {
    for (const [member, risks] of findVipRisks(group, probes))
      byHost.get(member)?.risks.push(...risks);
  }
  return sweeps;
}
