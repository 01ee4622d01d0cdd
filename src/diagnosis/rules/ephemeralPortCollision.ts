import type { Action, Finding, Occupant } from '../../domain/diagnosis';
import type { PortRange, SocketEntry } from '../../domain/ProbeResults';
import { compact, restartLbAction } from '../actions';
import type { DiagnosisContext } from '../buildContext';
import { describeOccupant } from '../describe';
import { mergeEvidence, pickEvidence, pickProcessEvidence } from '../pickEvidence';
import type { Rule } from '../Rule';
import { toOccupant } from '../toOccupant';

/** Sockets that hold the port without listening: ESTAB, SYN-SENT, CLOSE-WAIT, FIN-WAIT-*, … */
export function connectionsOnPort(ctx: DiagnosisContext): SocketEntry[] {
  return ctx.probes.sockets.filter(
    (s) =>
      s.localPort === ctx.port &&
      s.netid !== 'udp' &&
      !['LISTEN', 'UNCONN', 'TIME-WAIT'].includes(s.state),
  );
}

export function inRanges(port: number, ranges: readonly PortRange[]): boolean {
  return ranges.some((r) => port >= r.from && port <= r.to);
}

function formatRanges(ranges: readonly PortRange[]): string {
  return ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(',');
}

export function reservePortAction(ctx: DiagnosisContext): Action {
  const existing = ctx.probes.sysctls.ipLocalReservedPorts ?? [];
  // Writing the sysctl replaces the list: keep what is already reserved.
  const list = formatRanges([...existing, { from: ctx.port, to: ctx.port }]);
  return {
    kind: 'reserve-port',
    risk: 'low',
    title: `Reserve port ${ctx.port} from ephemeral use on ${ctx.hostName}`,
    detail:
      `sysctl -w net.ipv4.ip_local_reserved_ports=${list}` +
      (existing.length > 0
        ? ` (keeps the ports already reserved: ${formatRanges(existing)})`
        : '') +
      `; make it persistent: echo 'net.ipv4.ip_local_reserved_ports = ${list}' > /etc/sysctl.d/60-portbot-reserved-ports.conf. ` +
      `Reserving does not end the connection that holds the port now: wait for it to close, or end just that ` +
      `socket with ss -K '( sport = :${ctx.port} )'.`,
  };
}

/** The connection to blame (one whose owner is visible, if any) and its process as occupant. */
export function connectionOccupant(
  ctx: DiagnosisContext,
  conns: readonly SocketEntry[],
): { conn: SocketEntry | undefined; occupant: Occupant | null } {
  const conn = conns.find((s) => s.owners.length > 0) ?? conns[0];
  const owner = conn?.owners[0];
  if (!conn || !owner) return { conn, occupant: null };
  const occupant = toOccupant(
    {
      pid: owner.pid,
      comm: owner.comm,
      socket: conn,
      proc: ctx.probes.processes[owner.pid] ?? null,
      unit: null,
      container: null,
    },
    ctx.probes,
  );
  return { conn, occupant };
}

export const ephemeralPortCollision: Rule = {
  verdict: 'ephemeral-port-collision',
  evaluate(ctx) {
    if (ctx.listeners.length > 0) return null;
    const conns = connectionsOnPort(ctx);
    if (conns.length === 0) return null;
    const { ipLocalPortRange: range, ipLocalReservedPorts: reserved } = ctx.probes.sysctls;
    if (range && !inRanges(ctx.port, [range])) return null;
    if (reserved && inRanges(ctx.port, reserved)) return null;

    const { conn, occupant } = connectionOccupant(ctx, conns);
    if (!conn) return null;
    const owner = conn.owners[0];
    const by = occupant ? ` of ${describeOccupant(occupant)}` : '';
    const findings: Finding[] = [];
    let where = `port ${ctx.port} lies in ip_local_port_range ${range ? `${range.from}-${range.to}` : ''}`;
    if (!range) {
      where = 'ip_local_port_range could not be read';
      findings.push({
        code: 'ephemeral-range-unknown',
        detail: `could not read net.ipv4.ip_local_port_range; port ${ctx.port} is assumed to be in it because a connection uses it as its local port`,
      });
    }
    return {
      verdict: 'ephemeral-port-collision',
      summary: `port ${ctx.port} is taken by an outgoing connection${by} from ${conn.localAddress} to ${conn.peerAddress} (${conn.state}) — ${where}`,
      occupant,
      evidence: mergeEvidence(
        pickEvidence(ctx.probes, [
          ...conns.map((s) => s.raw),
          'ip_local_port_range',
          'ip_local_reserved_ports',
        ]),
        pickProcessEvidence(ctx.probes, owner ? [owner.pid] : []),
      ),
      actions: compact([reservePortAction(ctx), restartLbAction(ctx, ' once the port is free')]),
      findings,
    };
  },
};
