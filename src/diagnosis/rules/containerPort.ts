import { describeOccupant } from '../describe';
import { mergeEvidence, pickEvidence, pickProcessEvidence } from '../pickEvidence';
import type { Rule } from '../Rule';
import { toOccupant } from '../toOccupant';

export const containerPort: Rule = {
  verdict: 'container-port',
  evaluate(ctx) {
    const holder = ctx.holders.find((h) => h.container !== null);
    if (!holder) return null;
    const occupant = toOccupant(holder, ctx.probes);
    const container = holder.container ?? '';
    return {
      verdict: 'container-port',
      summary: `port ${ctx.port} is published by container ${container}: ${describeOccupant(occupant)} holds it`,
      occupant,
      evidence: mergeEvidence(
        pickEvidence(ctx.probes, [holder.socket.raw, ...(holder.proc?.cgroup ?? [])]),
        pickProcessEvidence(ctx.probes, [holder.pid]),
      ),
      // Killing is undone by the runtime (restart policy, kubelet); the publish must change.
      actions: [
        {
          kind: 'escalate-owner',
          risk: 'low',
          title: `Ask the owner of ${container} to free port ${ctx.port} on ${ctx.hostName}`,
          detail:
            'Change the container’s port publishing (docker -p / compose ports:, a pod’s hostPort or hostNetwork, a ' +
            'NodePort/LoadBalancer Service) rather than killing the process: its runtime would restart it.',
        },
      ],
    };
  },
};
