import type { PortRange } from './ProbeResults';
import { parsePort } from './parsePort';
import { PortbotError } from './PortbotError';

/**
 * The kernel reads a sysctl write of net.ipv4.ip_local_reserved_ports in one page less the
 * terminating NUL (proc_do_large_bitmap): a longer list would be cut, so it is refused here.
 */
export const RESERVED_PORTS_MAX_CHARS = 4095;

/** Ports and ranges sorted, overlapping and adjacent ones merged; each bound checked 1-65535. */
export function compactPortRanges(ranges: readonly PortRange[]): PortRange[] {
  const checked = ranges.map((r) => {
    const from = parsePort(r.from);
    const to = parsePort(r.to);
    if (to < from) throw new PortbotError('BAD_PORT', `not a port range: ${from}-${to}`);
    return { from, to };
  });
  checked.sort((a, b) => a.from - b.from || a.to - b.to);
  const out: PortRange[] = [];
  for (const r of checked) {
    const last = out.at(-1);
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

/**
 * The list as net.ipv4.ip_local_reserved_ports takes it (`80,443,8000-8010`), compacted, and
 * refused when the kernel would not take it whole.
 */
export function reservedPortsValue(ranges: readonly PortRange[]): string {
  const text = compactPortRanges(ranges)
    .map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`))
    .join(',');
  if (text.length > RESERVED_PORTS_MAX_CHARS) {
    throw new PortbotError(
      'BAD_PORT',
      `the reserved-port list is ${text.length} characters; the kernel takes at most ${RESERVED_PORTS_MAX_CHARS} in one write: reserve ranges instead of single ports`,
    );
  }
  return text;
}

export function singlePorts(ports: readonly number[]): PortRange[] {
  return ports.map((p) => ({ from: p, to: p }));
}
