import { pidAndUser } from '../describe';
import { mergeEvidence, pickEvidence, pickProcessEvidence } from '../pickEvidence';
import type { Rule } from '../Rule';
import { toOccupant } from '../toOccupant';

export const healthy: Rule = {
  verdict: 'healthy',
  evaluate(ctx) {
    if (!ctx.lb || !ctx.lbState?.listening) return null;
    const managed = ctx.holders.filter((h) => ctx.isManaged(h.pid));
    // Prefer the managed pid itself (the master) over one of its workers.
    const holder = managed.find((h) => h.pid === ctx.lb?.managedPid) ?? managed[0];
    if (!holder) return null;
    const occupant = toOccupant(holder, ctx.probes);
    return {
      verdict: 'healthy',
      summary: `port ${ctx.port} is served by the managed ${ctx.lb.runbook.kind} (${pidAndUser(occupant)})`,
      occupant,
      evidence: mergeEvidence(
        pickEvidence(
          ctx.probes,
          managed.map((h) => h.socket.raw),
        ),
        pickProcessEvidence(ctx.probes, [holder.pid]),
      ),
      actions: [],
    };
  },
};
