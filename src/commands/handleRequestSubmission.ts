import type { Identity } from '../approval/ApprovalState';
import { applyApprovalEvent } from '../approval/applyApprovalEvent';
import { newApprovalRequest } from '../approval/newApprovalRequest';
import { planDigest } from '../remediation/planDigest';
import type { RequestModalMetadata } from '../render/slack/renderRequestModal';
import { renderNotice } from '../render/slack/renderNotice';
import { carryOutApprovalEffects } from './carryOutApprovalEffects';
import { planForIncident } from './planForIncident';
import type { RemediationFlowDeps } from './RemediationFlowDeps';

/**
 * The request modal was submitted: plan again (the hosts may have changed since the modal
 * opened), store the request bound to that plan's hash, and let the state machine decide.
 */
export async function handleRequestSubmission(
  deps: RemediationFlowDeps,
  input: { metadata: RequestModalMetadata; reason: string; user: Identity },
): Promise<void> {
  const { incidentId, action } = input.metadata;
  const planned = await planForIncident(deps, incidentId, action);
  if (!planned.ok) {
    deps.log.info({ user: input.user.userId, incidentId }, 'remediation request not planned');
    const incident = await deps.incidents.get(incidentId);
    if (!incident) return;
    await deps.slack.postEphemeral({
      channel: incident.channel,
      user: input.user.userId,
      ...(incident.rootTs ? { threadTs: incident.rootTs } : {}),
      ...renderNotice(`🔒 Your request was not made: ${planned.message}`),
    });
    return;
  }
  const { incident, plan } = planned;
  const created = await deps.approvals.create((requestId) => ({
    state: newApprovalRequest(requestId, incidentId, plan, planDigest(plan)),
    plan,
    message: { channel: incident.channel, threadTs: incident.rootTs, messageTs: null },
  }));
  const groups = await deps.userGroups(input.user.userId);
  const result = await applyApprovalEvent(
    deps.approvals,
    created.state.requestId,
    { type: 'request', by: input.user, reason: input.reason, at: deps.now() },
    { policy: deps.policy.remediation, teamId: servedTeam(deps, input.user), actorGroups: groups },
  );
  if (result.kind === 'applied') {
    await carryOutApprovalEffects(deps, result.request, result.effects);
    return;
  }
  if (result.kind === 'refused') {
    const audit = result.refusal.audit;
    await carryOutApprovalEffects(deps, result.request, audit ? [audit] : []);
    await deps.slack.postEphemeral({
      channel: incident.channel,
      user: input.user.userId,
      threadTs: incident.rootTs,
      ...renderNotice(`🔒 Your request was not made: ${result.refusal.message}`),
    });
  }
}

/** A requester's workspace is the served one when the policy lists it (or lists none). */
function servedTeam(deps: RemediationFlowDeps, user: Identity): string {
  const allowed = deps.policy.workspaces;
  return allowed === undefined || allowed.includes(user.teamId) ? user.teamId : '';
}
