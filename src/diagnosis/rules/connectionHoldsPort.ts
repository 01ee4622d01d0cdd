import { compact, killOccupantAction, restartLbAction } from '../actions';
import { describeOccupant } from '../describe';
import { mergeEvidence, pickEvidence, pickProcessEvidence } from '../pickEvidence';
import type { Rule } from '../Rule';
import { connectionOccupant, connectionsOnPort } from './ephemeralPortCollision';

/**
 * portbot's extension (docs/reference/verdicts.md), right after ephemeral-port-collision: no listener,
 * and a connection holds the port as its local port although the port is outside the ephemeral
 * range or reserved (the client bound it explicitly, or the connection predates a range change or
 * the reservation). Without this rule the diagnosis would fall through to "port free" and advise
 * a start that fails with EADDRINUSE.
 */
export const connectionHoldsPort: Rule = {
  verdict: 'connection-holds-port',
  evaluate(ctx) {
    if (ctx.listeners.length > 0) return null;
    const conns = connectionsOnPort(ctx);
    const { conn, occupant } = connectionOccupant(ctx, conns);
    if (!conn) return null;
    const by = occupant ? ` of ${describeOccupant(occupant)}` : '';
    const endSocket = `or end just that socket: ss -K '( sport = :${ctx.port} )'`;
    return {
      verdict: 'connection-holds-port',
      summary:
        `port ${ctx.port} is taken by a connection${by} from ${conn.localAddress} to ${conn.peerAddress} ` +
        `(${conn.state}); the port is not an ephemeral one, so the client bound it on purpose or the connection predates the current range`,
      occupant,
      evidence: mergeEvidence(
        pickEvidence(ctx.probes, [
          ...conns.map((s) => s.raw),
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
        restartLbAction(ctx, ' once the port is free'),
      ]),
    };
  },
};
