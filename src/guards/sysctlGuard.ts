import type { PortRange } from '../domain/ProbeResults';
import { portOf } from '../probes/normalizeListen';
import { reservedPortsValue, singlePorts } from '../domain/portRanges';
import { reservedPortsLine } from '../remediation/stepCommands';

/** What is known of one host's LB ports; `live` null when the host was not probed (--offline). */
export interface GuardHostInput {
  name: string;
  /** hosts[].lb.ports from the inventory. */
  inventoryPorts: readonly number[];
  live: {
    /** address:port pairs the LB config declares (the probe's reading of the main config file). */
    configListens: readonly string[];
    /** net.ipv4.ip_local_reserved_ports as the host has it now; null when unreadable. */
    reserved: readonly PortRange[] | null;
  } | null;
}

export interface SysctlGuard {
  host: string;
  /** The LB ports the drop-in reserves, sorted. */
  lbPorts: number[];
  /** The value of net.ipv4.ip_local_reserved_ports: LB ports and existing reservations, compacted. */
  value: string;
  /** Whether the host's existing reservations were read and kept. */
  mergedExisting: boolean;
}

/** The LB ports of a host: the inventory's, plus what the live config declares. */
export function lbPortsOf(h: GuardHostInput): number[] {
  const fromConfig = (h.live?.configListens ?? [])
    .map((l) => portOf(l))
    .filter((p): p is number => p !== null);
  return [...new Set([...h.inventoryPorts, ...fromConfig])].sort((a, b) => a - b);
}

/** Pure: the drop-in value for one host, or null when no LB port is known. */
export function sysctlGuard(h: GuardHostInput): SysctlGuard | null {
  const lbPorts = lbPortsOf(h);
  if (lbPorts.length === 0) return null;
  const existing = h.live?.reserved ?? [];
  return {
    host: h.name,
    lbPorts,
    value: reservedPortsValue([...singlePorts(lbPorts), ...existing]),
    mergedExisting: h.live?.reserved != null,
  };
}

/** The drop-in text; `# host: <name>` before each host's line when several print. */
export function formatSysctlGuards(guards: readonly SysctlGuard[]): string {
  const several = guards.length > 1;
  return guards
    .map((g) => `${several ? `# host: ${g.host}\n` : ''}${reservedPortsLine(g.value)}`)
    .join('\n');
}
