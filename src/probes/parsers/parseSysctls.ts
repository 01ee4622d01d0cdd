import type { PortRange, Sysctls } from '../../domain/ProbeResults';

/** `grep -H '' /proc/sys/…` output: PATH:VALUE per line. Missing files simply do not appear. */
export function parseProcSysValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\/proc\/sys\/([^:]+):(.*)$/.exec(line);
    if (m?.[1] !== undefined) values.set(m[1].replace(/\//g, '.'), (m[2] ?? '').trim());
  }
  return values;
}

function int(value: string | undefined): number | null {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
}

function range(value: string | undefined): PortRange | null {
  const m = value === undefined ? null : /^(\d+)\s+(\d+)$/.exec(value);
  return m ? { from: Number(m[1]), to: Number(m[2]) } : null;
}

/** "8080,9000-9010" (empty when none reserved). */
export function parseReservedPorts(value: string | undefined): PortRange[] | null {
  if (value === undefined) return null;
  const out: PortRange[] = [];
  for (const part of value.split(',')) {
    const m = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (m) out.push({ from: Number(m[1]), to: Number(m[2] ?? m[1]) });
  }
  return out;
}

export function parseSysctls(text: string): Sysctls {
  const v = parseProcSysValues(text);
  return {
    ipLocalPortRange: range(v.get('net.ipv4.ip_local_port_range')),
    ipLocalReservedPorts: parseReservedPorts(v.get('net.ipv4.ip_local_reserved_ports')),
    ipUnprivilegedPortStart: int(v.get('net.ipv4.ip_unprivileged_port_start')),
    ipNonlocalBind: int(v.get('net.ipv4.ip_nonlocal_bind')),
    ipv6NonlocalBind: int(v.get('net.ipv6.ip_nonlocal_bind')),
  };
}

export function parseConntrack(text: string): { count: number; max: number } | null {
  const v = parseProcSysValues(text);
  const count = int(v.get('net.netfilter.nf_conntrack_count'));
  const max = int(v.get('net.netfilter.nf_conntrack_max'));
  return count === null || max === null ? null : { count, max };
}
