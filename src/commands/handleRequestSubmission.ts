import type { Identity } from '../approval/ApprovalState';
import { applyApprovalEvent } from '../approval/applyApprovalEvent';
import { newApprovalRequest } from '../approval/newApprovalRequest';
import { planDigest } from '../remediation/planDigest';
import type { RequestModalMetadata } from '../render/slack/renderRequestModal';
import { renderNotice } from '../render/slack/renderNotice';
import { carryOutApprovalEffects } from './carryOutApprovalEffects';
import { planForIncident } from './planForIncident';
import { servedTeam } from './servedTeam';
import { refuseSubmission, submissionRefusal } from './submissionRefusal';
import { actorGroups } from './actorGroups';
import type { RemediationFlowDeps } from './RemediationFlowDeps';

/**
 * The request modal was submitted: plan again (the hosts may have changed since the modal
 * opened), store the request bound to that plan's hash, and let the state machine decide.
 */
export async function handleRequestSubmission(
  deps: RemediationFlowDeps,
  input: {
    metadata: RequestModalMetadata;
    reason: string;
    user: Identity;
    /** `team.id` of Slack's signed payload: the workspace the request came from. */
    team: string;
  },
): Promise<void> {
  const { incidentId, action } = input.metadata;
  // Who submits and what they ask for are checked before any host is probed or record stored.
  const { groups } = await actorGroups(deps, input.user.userId);
  const early = submissionRefusal(deps, input, groups);
  if (early) return refuseSubmission(deps, input, early);
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
  const result = await applyApprovalEvent(
    deps.approvals,
    created.state.requestId,
    { type: 'request', by: input.user, reason: input.reason, at: deps.now() },
    {
      policy: deps.policy.remediation,
      teamId: servedTeam(deps.policy, input.team),
      actorGroups: groups,
      signer: deps.signer,
    },
  );
  if (result.kind === 'applied') {
    const done = await carryOutApprovalEffects(deps, result.request, result.effects);
    if (done.slackFailed.includes('post-approval-message')) {
      await withdraw(deps, created.state.requestId, input.user, incident);
    }
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

/**
 * Nobody can approve a request whose approval message never reached the thread: withdraw it as
 * its requester (audited as a cancel, nothing runs) and say so, rather than let it sit unseen
 * until it expires.
 */
async function withdraw(
  deps: RemediationFlowDeps,
  requestId: string,
  user: Identity,
  incident: { channel: string; rootTs: string },
): Promise<void> {
  const cancelled = await applyApprovalEvent(
    deps.approvals,
    requestId,
    { type: 'cancel', by: user, at: deps.now() },
    {
      policy: deps.policy.remediation,
      teamId: user.teamId,
      actorGroups: [],
      signer: deps.signer,
    },
  );
  if (cancelled.kind === 'applied') {
    const audit = cancelled.effects.filter((e) => e.kind === 'audit');
    await carryOutApprovalEffects(deps, cancelled.request, audit);
  }
  await deps.slack.postEphemeral({
    channel: incident.channel,
    user: user.userId,
    threadTs: incident.rootTs,
    ...renderNotice(
      '⚠️ Slack refused the approval message, so nobody could approve your request: it was withdrawn and nothing will run. Try again in a minute.',
    ),
  });
}
