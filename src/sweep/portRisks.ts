import type { PortRange, SocketEntry } from '../domain/ProbeResults';
import type { SweepProbe } from '../domain/SweepProbe';
import { findDuplicateListens } from '../diagnosis/findDuplicateListens';
import { portOf } from '../probes/normalizeListen';
import { socketUnitPort } from '../probes/parsers/parseSocketUnits';
import { nodePortRangeOf } from '../probes/parsers/parseK8sProcesses';
import type { SweepEvidence, SweepRisk } from './SweepRisk';

/** kube-apiserver's default --service-node-port-range. */
export const DEFAULT_NODE_PORT_RANGE: PortRange = { from: 30000, to: 32767 };
/** Inventory label that names a Kubernetes node (shared with `portbot guard k8s`). */
export const K8S_NODE_LABEL = 'kubernetes.io/hostname';

export interface PortRiskInput {
  labels: Record<string, string>;
  /** comm names that are the LB's own (runbook `programs`); null: the host has no LB. */
  lbPrograms: readonly string[];
  probe: SweepProbe;
}

const inRange = (p: number, r: PortRange): boolean => p >= r.from && p <= r.to;

function evidenceOf(probe: SweepProbe, ...names: string[]): SweepEvidence[] {
  return probe.evidence.filter((e) => names.includes(e.probe));
}

function rangeText(r: PortRange): string {
  return `${r.from}-${r.to}`;
}

/** Ports of the range the kernel may hand out: the range less its reserved ports. */
function usablePorts(range: PortRange, reserved: readonly PortRange[]): number {
  let n = range.to - range.from + 1;
  for (const r of reserved) {
    const from = Math.max(r.from, range.from);
    const to = Math.min(r.to, range.to);
    if (to >= from) n -= to - from + 1;
  }
  return Math.max(n, 1);
}

export function ephemeralRisk(port: number, probe: SweepProbe): SweepRisk | null {
  const range = probe.sysctls.ipLocalPortRange;
  const reserved = probe.sysctls.ipLocalReservedPorts ?? [];
  if (!range || !inRange(port, range) || reserved.some((r) => inRange(port, r))) return null;
  const usable = usablePorts(range, reserved);
  const inUse = probe.ephemeralInUse;
  // Connect picks a free port of the range: with k of n taken by other connections, the LB
  // port is among them about k/n of the time, so a restart at a random moment fails that often.
  const odds =
    inUse === null
      ? 'how many are in use could not be read'
      : inUse === 0
        ? `0 of ${usable} ephemeral ports in use now: the port is taken only while an outbound connection happens to hold it`
        : `${inUse} of ${usable} ephemeral ports in use now: about 1 in ${Math.max(1, Math.round(usable / inUse))} that an outbound connection holds port ${port} when the LB (re)starts`;
  return {
    code: 'port-in-ephemeral-range',
    port,
    severity: 'high',
    detail: `port ${port} lies in ip_local_port_range ${rangeText(range)} and is not in ip_local_reserved_ports${probe.sysctls.ipLocalReservedPorts === null ? ' (unreadable)' : ''}; ${odds}. Reserve it: portbot guard sysctl`,
    subject: rangeText(range),
    evidence: evidenceOf(probe, 'sysctl', 'ephemeral'),
  };
}

function isSystemd(s: SocketEntry): boolean {
  // comm, not pid 1: in a container or the lab, pid 1 may be sshd or an init that is not systemd.
  return s.owners.some((o) => o.comm === 'systemd');
}

export function foreignListenerRisk(
  port: number,
  probe: SweepProbe,
  lbPrograms: readonly string[],
): SweepRisk | null {
  const foreign = probe.listeners.filter(
    (s) =>
      s.localPort === port &&
      (s.state === 'LISTEN' || s.netid === 'udp') &&
      !isSystemd(s) &&
      s.owners.some((o) => !lbPrograms.includes(o.comm)),
  );
  if (foreign.length === 0) return null;
  const owners = [
    ...new Set(foreign.flatMap((s) => s.owners.filter((o) => !lbPrograms.includes(o.comm)))),
  ];
  const names = [...new Set(owners.map((o) => o.comm))].sort();
  const who = owners.map((o) => `${o.comm} (pid ${o.pid})`).join(', ');
  return {
    code: 'foreign-listener',
    port,
    severity: 'high',
    detail: `${who} listens on port ${port} (${foreign.map((s) => `${s.netid} ${s.localAddress}`).join(', ')}): the LB cannot bind it on its next start`,
    subject: names.join(','),
    evidence: [
      {
        probe: 'listen',
        command: evidenceOf(probe, 'listen', 'listen-nosudo')[0]?.command ?? 'ss -H -tulnp',
        output: foreign.map((s) => s.raw).join('\n'),
      },
    ],
  };
}

export function duplicateListenRisks(probe: SweepProbe, lbPorts: readonly number[]): SweepRisk[] {
  return findDuplicateListens(probe.configListens ?? []).flatMap((address) => {
    const port = portOf(address);
    if (port === null || !lbPorts.includes(port)) return [];
    return [
      {
        code: 'duplicate-listen' as const,
        port,
        severity: 'medium' as const,
        detail: `the LB config declares ${address} twice (in one nginx server block, or two HAProxy binds): the next reload or start fails`,
        subject: address,
        evidence: [
          {
            probe: 'config-listens',
            command: 'listen/bind addresses of the LB config, includes followed',
            output: (probe.configListens ?? []).join('\n'),
          },
        ],
      },
    ];
  });
}

export function socketUnitRisk(port: number, probe: SweepProbe): SweepRisk | null {
  const units = (probe.socketUnits ?? []).filter((u) => socketUnitPort(u.listen) === port);
  const held = probe.listeners.filter((s) => s.localPort === port && isSystemd(s));
  if (units.length === 0 && held.length === 0) return null;
  const names = units.map((u) => u.unit);
  return {
    code: 'socket-unit-overlap',
    port,
    severity: 'high',
    detail: `${names.length > 0 ? `systemd socket unit ${names.join(', ')} listens on` : 'systemd (pid 1) holds'} port ${port}: systemd binds it at boot, before the LB starts`,
    subject: names.sort().join(',') || 'pid 1',
    evidence: [
      ...evidenceOf(probe, 'sockets'),
      ...(held.length > 0
        ? [{ probe: 'listen', command: 'ss -H -tulnp', output: held.map((s) => s.raw).join('\n') }]
        : []),
    ],
  };
}

/** A Kubernetes node: kubelet or kube-proxy runs, or the inventory names its node. */
export function nodePortRange(
  probe: SweepProbe,
  labels: Record<string, string>,
): { range: PortRange; source: string } | null {
  const node = probe.k8s.some((p) => p.comm !== 'kube-apiserver') || K8S_NODE_LABEL in labels;
  if (!node) return null;
  for (const p of probe.k8s) {
    const range = p.comm === 'kube-apiserver' ? nodePortRangeOf(p.cmdline) : null;
    if (range) return { range, source: "kube-apiserver's --service-node-port-range" };
  }
  return { range: DEFAULT_NODE_PORT_RANGE, source: 'the Kubernetes default' };
}

export function nodePortRisk(
  port: number,
  probe: SweepProbe,
  labels: Record<string, string>,
): SweepRisk | null {
  const found = nodePortRange(probe, labels);
  if (!found || !inRange(port, found.range)) return null;
  return {
    code: 'nodeport-range-overlap',
    port,
    severity: 'medium',
    detail: `this host is a Kubernetes node and port ${port} lies in the NodePort range ${rangeText(found.range)} (${found.source}): a NodePort Service can be given this port and kube-proxy then takes its traffic`,
    subject: rangeText(found.range),
    evidence: evidenceOf(probe, 'k8s'),
  };
}

/** conntrack above this share of nf_conntrack_max is pressure; above the second, high. */
export const CONNTRACK_PRESSURE = 0.8;
const CONNTRACK_HIGH = 0.95;

export function conntrackRisk(probe: SweepProbe): SweepRisk | null {
  const c = probe.conntrack;
  if (!c || c.max <= 0 || c.count / c.max <= CONNTRACK_PRESSURE) return null;
  const pct = Math.round((c.count / c.max) * 100);
  const high = c.count / c.max > CONNTRACK_HIGH;
  return {
    code: 'conntrack-pressure',
    port: null,
    severity: high ? 'high' : 'medium',
    detail: `conntrack table ${pct} % full (${c.count} of nf_conntrack_max ${c.max}): when full, new connections to the LB are dropped`,
    subject: high ? 'above 95 %' : 'above 80 %',
    evidence: evidenceOf(probe, 'conntrack'),
  };
}
