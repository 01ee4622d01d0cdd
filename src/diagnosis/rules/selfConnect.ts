import type { SocketEntry } from '../../domain/ProbeResults';
import { compact, killOccupantAction, restartLbAction } from '../actions';
import { describeOccupant } from '../describe';
import { mergeEvidence, pickEvidence, pickProcessEvidence } from '../pickEvidence';
import type { Rule } from '../Rule';
import {
  connectionOccupant,
  connectionsOnPort,
  inRanges,
  reservePortAction,
} from './ephemeralPortCollision';

/** A TCP connection to itself: local and remote address:port equal (simultaneous open). */
export function isSelfConnected(s: SocketEntry): boolean {
  return s.netid !== 'udp' && s.localAddress === s.peerAddress;
}

/**
 * Before ephemeral-port-collision (docs/reference/verdicts.md): a client that connects to the
 * port while nothing listens can be handed that very port as its ephemeral source port, and the
 * kernel then connects the socket to itself. The connection never ends on its own (it talks to
 * itself), so the port stays taken until the client closes it: a more exact verdict than "an
 * outgoing connection", with its own fix (stop the client retrying against its own port).
 */
export const selfConnect: Rule = {
  verdict: 'self-connect',
  evaluate(ctx) {
    if (ctx.listeners.length > 0) return null;
    const selfs = connectionsOnPort(ctx).filter(isSelfConnected);
    const { conn, occupant } = connectionOccupant(ctx, selfs);
    if (!conn) return null;
    const by = occupant ? ` of ${describeOccupant(occupant)}` : '';
    const { ipLocalPortRange: range, ipLocalReservedPorts: reserved } = ctx.probes.sysctls;
    const ephemeral =
      (range === null || inRanges(ctx.port, [range])) &&
      !(reserved !== null && inRanges(ctx.port, reserved));
    const endSocket = `or end just that socket: ss -K '( sport = :${ctx.port} )'; the client connects to ${conn.peerAddress} while nothing listens there, so point it elsewhere or have it stop retrying`;
    return {
      verdict: 'self-connect',
      summary:
        `port ${ctx.port} is held by a TCP connection${by} to itself: ${conn.localAddress} is both its local and ` +
        `its remote address (${conn.state}) — a client connected to port ${ctx.port} while nothing listened and got that port as its source port`,
      occupant,
      evidence: mergeEvidence(
        pickEvidence(ctx.probes, [
          ...selfs.map((s) => s.raw),
          'ip_local_port_range',
          'ip_local_reserved_ports',
        ]),
        pickProcessEvidence(
          ctx.probes,
          conn.owners.map((o) => o.pid),
        ),
      ),
      actions: compact([
        occupant ? killOccupantAction(occupant, ctx, endSocket) : null,
        ephemeral ? reservePortAction(ctx) : null,
        restartLbAction(ctx, ' once the port is free'),
      ]),
    };
  },
};
