import { isPortbotError } from '../domain/PortbotError';
import { parsePortCommand } from '../ingress/slashCommand/parsePortCommand';
import { mayRunCommand } from '../policy/mayRunCommand';
import { renderError } from '../render/slack/renderError';
import { renderHelp } from '../render/slack/renderHelp';
import { renderNotice } from '../render/slack/renderNotice';
import { allowHostCheck, HOST_CHECK_LIMITED } from './allowHostCheck';
import type { PortCommandDeps, PortCommandPlan, PortCommandRequest } from './PortCommandDeps';
import { planAuditExport } from './planAuditExport';
import { refusePortCommand as refuse } from './refusePortCommand';
import { resolveCheckTargets, type CheckTargets } from './resolveCheckTargets';
import { startFleetCheck } from './startFleetCheck';
import { planSweep } from './startSweep';
import { startHostCheck } from './startHostCheck';

export type { PortCommandDeps, PortCommandPlan, PortCommandRequest } from './PortCommandDeps';

const REFUSAL = renderError(
  "Sorry, you can't run /port here.",
  'Ask your portbot admin to add you (or this channel) to commands in the policy.',
);

/** Policy → parsing → inventory lookup answer at once; checks start after the ack. */
export function handlePortCommand(deps: PortCommandDeps, req: PortCommandRequest): PortCommandPlan {
  if (!mayRunCommand(deps.policy, req.userId, req.channelId)) {
    return refuse(deps, req, 'not allowed by the policy', REFUSAL);
  }
  const parsed = parsePortCommand(req.text);
  if (!parsed.ok) return refuse(deps, req, parsed.error, renderError(parsed.error, parsed.hint));
  const cmd = parsed.command;
  if (cmd.kind === 'help') return { reply: renderHelp() };
  if (cmd.kind === 'status') return { afterAck: async () => renderNotice(await deps.status()) };
  if (cmd.kind === 'audit-export') return planAuditExport(deps, req, cmd.since);
  if (cmd.kind === 'sweep') return planSweep(deps, req, cmd.scope);
  let targets: CheckTargets;
  try {
    targets = resolveCheckTargets(deps.inventory, cmd);
  } catch (err) {
    if (!isPortbotError(err) || !err.userFacing) throw err;
    const reply = renderError(err.message, 'Run `/port help` for usage.');
    return refuse(deps, req, err.message, reply);
  }
  return {
    afterAck: async () => {
      if (targets.kind === 'fleet') return startFleetCheck(deps, req, targets);
      if (!(await allowHostCheck(deps, req, targets.host.name, targets.port)))
        return HOST_CHECK_LIMITED;
      await startHostCheck(deps, req, targets);
      return undefined;
    },
  };
}
