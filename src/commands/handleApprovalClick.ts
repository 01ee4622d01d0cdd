import type { ApprovalEvent, Identity } from '../approval/ApprovalState';
import { applyApprovalEvent } from '../approval/applyApprovalEvent';
import type { ApprovalButton } from '../render/slack/remediationIds';
import { renderNotice } from '../render/slack/renderNotice';
import { carryOutApprovalEffects } from './carryOutApprovalEffects';
import type { RemediationFlowDeps } from './RemediationFlowDeps';

export interface ApprovalClick {
  button: ApprovalButton;
  /** The button's value: an opaque request id, unverified until the store knows it. */
  requestId: string;
  /** From Slack's verified payload, never from the message. */
  user: Identity;
  channel: string;
  threadTs: string | null;
}

/**
 * Approve / deny / cancel on an approval message. Identity, policy and state are checked again
 * on every click; the store's compare-and-set makes a double click or two approvers at once
 * apply one at a time. Refusals are ephemeral, say why, and are audited.
 */
export async function handleApprovalClick(
  deps: RemediationFlowDeps,
  click: ApprovalClick,
): Promise<void> {
  const tell = (text: string) =>
    deps.slack.postEphemeral({
      channel: click.channel,
      user: click.user.userId,
      ...(click.threadTs ? { threadTs: click.threadTs } : {}),
      ...renderNotice(text),
    });
  const known = await deps.approvals.get(click.requestId);
  if (!known) {
    deps.log.warn({ user: click.user.userId }, 'approval click for an unknown request');
    await deps.audit({
      type: 'remediation.approval.refused',
      actor: click.user.userId,
      incidentId: null,
      host: null,
      port: null,
      detail: {
        requestId: click.requestId.slice(0, 100),
        code: 'unknown-request',
        teamId: click.user.teamId,
      },
    });
    return tell('🔒 Unknown or expired remediation request: nothing was changed.');
  }
  const groups = await deps.userGroups(click.user.userId);
  const result = await applyApprovalEvent(
    deps.approvals,
    click.requestId,
    event(click, deps.now()),
    {
      policy: deps.policy.remediation,
      // Approvers must belong to the requester's workspace: identities are per team.
      teamId: known.state.requester?.teamId ?? click.user.teamId,
      actorGroups: groups,
      signer: deps.signer,
    },
  );
  if (result.kind === 'unknown') {
    return tell('🔒 Unknown or expired remediation request: nothing was changed.');
  }
  if (result.kind === 'refused') {
    const audit = result.refusal.audit;
    await carryOutApprovalEffects(deps, result.request, audit ? [audit] : []);
    return tell(`🔒 Not applied: ${result.refusal.message}`);
  }
  await carryOutApprovalEffects(deps, result.request, result.effects);
}

function event(click: ApprovalClick, at: number): ApprovalEvent {
  switch (click.button) {
    case 'approve':
      return { type: 'approve', by: click.user, at, acceptOutage: false };
    case 'approveOutage':
      return { type: 'approve', by: click.user, at, acceptOutage: true };
    case 'deny':
      return { type: 'deny', by: click.user, at };
    case 'cancel':
      return { type: 'cancel', by: click.user, at };
  }
}
