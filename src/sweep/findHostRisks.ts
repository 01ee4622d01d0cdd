import type { SweepProbe } from '../domain/SweepProbe';
import { lbPortsOf } from '../guards/sysctlGuard';
import type { SweepRisk } from './SweepRisk';
import {
  conntrackRisk,
  duplicateListenRisks,
  ephemeralRisk,
  foreignListenerRisk,
  nodePortRisk,
  socketUnitRisk,
} from './portRisks';

export interface HostRiskInput {
  name: string;
  labels: Record<string, string>;
  /** hosts[].lb.ports from the inventory. */
  inventoryPorts: readonly number[];
  /** comm names that are the LB's own (the runbook's `programs`). */
  lbPrograms: readonly string[];
  probe: SweepProbe;
}

/**
 * Pure: the LB ports of one host (the same reading as `portbot guard`: inventory plus live
 * config) and the risks to each, then the host-wide ones. VIP risks need the whole group:
 * see findVipRisks.
 */
export function findHostRisks(input: HostRiskInput): { lbPorts: number[]; risks: SweepRisk[] } {
  const { probe } = input;
  const lbPorts = lbPortsOf({
    name: input.name,
    inventoryPorts: input.inventoryPorts,
    live: {
      configListens: probe.configListens ?? [],
      reserved: probe.sysctls.ipLocalReservedPorts,
    },
  });
  const risks: SweepRisk[] = [];
  for (const port of lbPorts) {
    for (const r of [
      ephemeralRisk(port, probe),
      foreignListenerRisk(port, probe, input.lbPrograms),
      socketUnitRisk(port, probe),
      nodePortRisk(port, probe, input.labels),
    ]) {
      if (r) risks.push(r);
    }
  }
  risks.push(...duplicateListenRisks(probe, lbPorts));
  const conntrack = conntrackRisk(probe);
  if (conntrack) risks.push(conntrack);
  return { lbPorts, risks };
}
