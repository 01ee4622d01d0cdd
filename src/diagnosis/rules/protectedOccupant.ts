import type { Action } from '../../domain/diagnosis';
import type { ProtectedAgent } from '../../domain/ProtectedAgent';
import { findPortFlag } from '../../probes/parsers/findPortFlag';
import { basename, type DiagnosisContext, type Holder } from '../buildContext';
import { describeOccupant, withLb } from '../describe';
import { mergeEvidence, pickEvidence, pickProcessEvidence } from '../pickEvidence';
import type { Rule } from '../Rule';
import { toOccupant } from '../toOccupant';

/**
 * The protected agent this holder is, or undefined. By executable basename when the executable
 * is known: any process can give itself an agent's name (prctl PR_SET_NAME, `exec -a`), and a
 * python3 calling itself node_exporter must keep its kill button. The process name counts only
 * when the executable cannot be read (no root), the trade-off documented in verdicts.md.
 */
export function agentOf(
  holder: Pick<Holder, 'comm' | 'proc'>,
  agents: readonly ProtectedAgent[],
): ProtectedAgent | undefined {
  const name = holder.proc?.exe ? basename(holder.proc.exe) : holder.comm;
  return agents.find((a) => a.programs.includes(name));
}

function protectedHolder(ctx: DiagnosisContext): { holder: Holder; agent: ProtectedAgent } | null {
  const agents = ctx.input.protectedAgents ?? [];
  if (agents.length === 0) return null;
  for (const holder of ctx.holders) {
    if (ctx.isManaged(holder.pid) || (ctx.lb && ctx.isLbProgram(holder))) continue;
    const agent = agentOf(holder, agents);
    if (agent) return { holder, agent };
  }
  return null;
}

/**
 * After suspicious-occupant (a deleted or /tmp binary that calls itself node_exporter is still
 * treated as planted) and before container-port and foreign-listener: a listed security or
 * monitoring agent listens on the port. Killing it blinds security or monitoring and its
 * supervisor restarts it anyway; the fix is its configuration, owned by another team.
 */
export const protectedOccupant: Rule = {
  verdict: 'protected-occupant',
  evaluate(ctx) {
    const found = protectedHolder(ctx);
    if (!found) return null;
    const { holder, agent } = found;
    const occupant = toOccupant(holder, ctx.probes);
    const flag = findPortFlag(holder.proc?.cmdline ?? null, agent.portFlags, ctx.port);
    const how = flag
      ? `its command line sets the port: ${flag.text}`
      : agent.portFlags.length > 0
        ? `no ${agent.portFlags.join(' / ')} on its command line names port ${ctx.port}: its configuration file or default sets it`
        : `the port comes from its configuration`;
    const action: Action = {
      kind: 'escalate-owner',
      risk: 'low',
      title: `Escalate to ${agent.team}: ${agent.name} ${occupant.comm === agent.name ? '' : `(${occupant.comm}) `}(pid ${holder.pid}) listens on port ${ctx.port}`,
      detail:
        `Do not stop it: ${agent.description ?? agent.name} is a protected agent (runbooks/protected-agents.yaml), and its ` +
        `supervisor would start it again. Ask ${agent.team} to move it off port ${ctx.port}` +
        (flag
          ? ` (change ${flag.flag}, now ${flag.value})`
          : ' (its listen address is in its configuration)') +
        (occupant.unit ? `, then restart ${occupant.unit}` : '') +
        `; start the LB once the port is free.`,
    };
    return {
      verdict: 'protected-occupant',
      summary: withLb(
        `port ${ctx.port} is held by ${describeOccupant(occupant)}, the protected agent ${agent.name} (owned by ${agent.team}); ${how}`,
        ctx,
      ),
      occupant,
      evidence: mergeEvidence(
        pickEvidence(ctx.probes, [holder.socket.raw]),
        pickProcessEvidence(ctx.probes, [holder.pid]),
      ),
      actions: [action],
      findings: [
        {
          code: 'protected-agent',
          detail: flag
            ? `${agent.name} (pid ${holder.pid}) was started with ${flag.text}`
            : `${agent.name} (pid ${holder.pid}): ${how}`,
        },
      ],
    };
  },
};
