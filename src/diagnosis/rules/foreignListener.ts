import { adviceAction, compact, killOccupantAction, restartLbAction } from '../actions';
import { describeOccupant, withLb } from '../describe';
import { mergeEvidence, pickEvidence, pickProcessEvidence } from '../pickEvidence';
import type { Rule } from '../Rule';
import { toOccupant } from '../toOccupant';

/**
 * Another program listens. A listener whose owner ss cannot show (another PID namespace, or no
 * privileges) also counts, unless the managed LB holds the port too: then it is only a finding.
 * Such a listener gets occupant null and no kill action, since there is no pid to stop safely.
 */
export const foreignListener: Rule = {
  verdict: 'foreign-listener',
  evaluate(ctx) {
    const holder = ctx.holders.find(
      (h) => !ctx.isManaged(h.pid) && !(ctx.lb && ctx.isLbProgram(h)),
    );
    if (holder) {
      const occupant = toOccupant(holder, ctx.probes);
      return {
        verdict: 'foreign-listener',
        summary: withLb(`port ${ctx.port} is held by ${describeOccupant(occupant)}`, ctx),
        occupant,
        evidence: mergeEvidence(
          pickEvidence(ctx.probes, [holder.socket.raw]),
          pickProcessEvidence(ctx.probes, [holder.pid]),
        ),
        actions: compact([killOccupantAction(occupant, ctx), restartLbAction(ctx)]),
      };
    }
    const unseen = ctx.ownerless[0];
    if (!unseen || ctx.lbState?.listening) return null;
    return {
      verdict: 'foreign-listener',
      summary: withLb(
        `port ${ctx.port} has a listener on ${unseen.localAddress} whose process is not visible from here`,
        ctx,
      ),
      occupant: null,
      evidence: pickEvidence(
        ctx.probes,
        ctx.ownerless.map((s) => s.raw),
      ),
      actions: [
        adviceAction(
          `Find who owns ${unseen.localAddress} on ${ctx.hostName}`,
          'ss shows no process for this socket: it belongs to another PID namespace (a container with host ' +
            'networking, a process started with ip netns exec) or the probe lacked root. From the host’s initial ' +
            `namespaces run ss -tlnpe 'sport = :${ctx.port}' as root, or match the socket inode (ss -e) against ` +
            '/proc/*/fd.',
        ),
      ],
      findings: [
        {
          code: 'owner-not-visible',
          detail: `ss shows no owning process for ${unseen.raw.trim()} (other PID namespace or no privileges)`,
        },
      ],
    };
  },
};
