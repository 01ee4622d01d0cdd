import type { SlackMessage } from '../render/slack/blockKitTypes';
import { auditPortCommand } from './auditPortCommand';
import type { PortCommandDeps, PortCommandPlan, PortCommandRequest } from './PortCommandDeps';

/** A refusal answers at once; its audit entry is written in the background (it never throws). */
export function refusePortCommand(
  deps: Pick<PortCommandDeps, 'audit'>,
  req: PortCommandRequest,
  reason: string,
  reply: SlackMessage,
): PortCommandPlan {
  void auditPortCommand(deps, req, {
    type: 'command.refused',
    incidentId: null,
    host: null,
    port: null,
    detail: { reason: reason.slice(0, 300) },
  });
  return { reply };
}
