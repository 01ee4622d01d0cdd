import type { FleetScope } from '../domain/FleetScope';
import { describeFleetScope } from '../domain/FleetScope';
import { hostsInScope } from '../domain/findHost';
import { isPortbotError } from '../domain/PortbotError';
import type { SlackMessage } from '../render/slack/blockKitTypes';
import { renderError } from '../render/slack/renderError';
import { renderNotice } from '../render/slack/renderNotice';
import { auditPortCommand } from './auditPortCommand';
import type { PortCommandDeps, PortCommandPlan, PortCommandRequest } from './PortCommandDeps';
import { refusePortCommand } from './refusePortCommand';

/** A sweep opens one SSH session per host of its scope: one per person per minute. */
export const SWEEP_COOLDOWN_MS = 60_000;

/**
 * `/port sweep [all | group:<name>]`: the group is looked up at once (an unknown one is refused
 * before the ack); after the ack, one sweep job whose digest is posted in this channel.
 */
export function planSweep(
  deps: PortCommandDeps,
  req: PortCommandRequest,
  scope: FleetScope,
): PortCommandPlan {
  let hosts: number;
  try {
    hosts = hostsInScope(deps.inventory, scope).length;
  } catch (err) {
    if (!isPortbotError(err) || !err.userFacing) throw err;
    return refusePortCommand(
      deps,
      req,
      err.message,
      renderError(err.message, 'Run `/port help` for usage.'),
    );
  }
  return { afterAck: () => startSweep(deps, req, scope, hosts) };
}

async function startSweep(
  deps: PortCommandDeps,
  req: PortCommandRequest,
  scope: FleetScope,
  hosts: number,
): Promise<SlackMessage> {
  const described = describeFleetScope(scope);
  if (!(await deps.incidents.claimOnce(`sweep:${req.userId}`, SWEEP_COOLDOWN_MS))) {
    const reason = `a sweep runs at most once every ${SWEEP_COOLDOWN_MS / 1000} s per person`;
    await auditPortCommand(deps, req, {
      type: 'command.refused',
      incidentId: null,
      host: null,
      port: null,
      detail: { reason, scope: described },
    });
    return renderError(`Not now: ${reason}.`, 'The digest of your last sweep is in this channel.');
  }
  await deps.sweeps.enqueue({ scope, channel: req.channelId, requestedBy: req.userId });
  await auditPortCommand(deps, req, {
    type: 'command.run',
    incidentId: null,
    host: null,
    port: null,
    detail: { sweep: true, scope: described, hosts },
  });
  return renderNotice(
    `🔎 Sweeping ${hosts} host${hosts === 1 ? '' : 's'} (${described}) for latent port conflicts: the digest will be posted in this channel.`,
  );
}
