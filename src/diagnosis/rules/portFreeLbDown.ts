import { compact, restartLbAction } from '../actions';
import {
  derivedEvidence,
  lbStateEvidence,
  mergeEvidence,
  socketProbeEvidence,
} from '../pickEvidence';
import type { Rule } from '../Rule';

/** Last in the table: no listener and no running LB (or no LB at all on this host). */
export const portFreeLbDown: Rule = {
  verdict: 'port-free-lb-down',
  evaluate(ctx) {
    if (ctx.listeners.length > 0 || ctx.lbState?.running) return null;
    const kind = ctx.lb?.runbook.kind;
    const evidence = mergeEvidence(
      socketProbeEvidence(ctx.probes),
      ctx.lb ? lbStateEvidence(ctx.probes) : [],
    );
    return {
      verdict: 'port-free-lb-down',
      summary: kind
        ? `nothing listens on port ${ctx.port} and ${kind} is not running on ${ctx.hostName}`
        : `nothing listens on port ${ctx.port} (${ctx.hostName} has no load balancer in the inventory)`,
      occupant: null,
      evidence:
        evidence.length > 0
          ? evidence
          : [
              derivedEvidence(
                'sockets',
                `no socket in LISTEN state on port ${ctx.port}${kind ? `; no live ${kind} managed pid` : ''}`,
              ),
            ],
      actions: compact([restartLbAction(ctx)]),
    };
  },
};
