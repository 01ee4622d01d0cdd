import type { FleetScope } from '../domain/FleetScope';
import { describeFleetScope } from '../domain/FleetScope';
import type { HostConfig } from '../domain/HostConfig';
import type { SlackMessage } from '../render/slack/blockKitTypes';
import { renderError } from '../render/slack/renderError';
import { auditPortCommand } from './auditPortCommand';
import type { PortCommandDeps, PortCommandRequest } from './PortCommandDeps';

const FLEET_CHECK_COOLDOWN_MS = 30_000;

/**
 * `/port check group:<name>` / `check all`: one fleet check, one job, one summary thread.
 * Answers a refusal when the person ran one within the cooldown, nothing otherwise.
 */
export async function startFleetCheck(
  deps: PortCommandDeps,
  req: PortCommandRequest,
  target: { scope: FleetScope; hosts: readonly HostConfig[]; port: number },
): Promise<SlackMessage | undefined> {
  const scope = describeFleetScope(target.scope);
  // A fleet check opens an SSH session per host: one per person per cooldown, whatever
  // the policy allows, so a repeated or scripted command cannot hammer the fleet.
  if (!(await deps.incidents.claimOnce(`fleet-check:${req.userId}`, FLEET_CHECK_COOLDOWN_MS))) {
    const reason = `a fleet check (group or all) runs at most once every ${FLEET_CHECK_COOLDOWN_MS / 1000} s per person`;
    await auditPortCommand(deps, req, {
      type: 'command.refused',
      incidentId: null,
      host: null,
      port: target.port,
      detail: { reason, scope },
    });
    return renderError(
      `Not now: ${reason}.`,
      'Check single hosts meanwhile: /port check <host> <port>',
    );
  }
  const check = await deps.checks.open({
    scope: target.scope,
    port: target.port,
    channel: req.channelId,
    requestedBy: req.userId,
    now: deps.now(),
  });
  await deps.queue.enqueueFleetCheck(
    check.id,
    target.hosts.map((h) => h.name),
  );
  await auditPortCommand(deps, req, {
    type: 'command.run',
    // A fleet check is not an incident: its id and scope go in detail, never in incidentId/host.
    incidentId: null,
    host: null,
    port: target.port,
    detail: { fleetCheckId: check.id, scope, hosts: target.hosts.length },
  });
  return undefined;
}
