import type { ApprovalStatus, Identity } from '../../approval/ApprovalState';
import type { RemediationRequest } from '../../approval/ApprovalStore';
import type { ActionsBlock, Block, ButtonElement, SlackMessage } from './blockKitTypes';
import { context, header, plainText, section } from './blocks';
import { escapeMrkdwn, inlineCode } from './escapeMrkdwn';
import { fallbackText } from './fallbackText';
import { planHeadline } from './planHeadline';
import { planStepLines } from './planStepLines';
import { APPROVAL_ACTION_IDS } from './remediationIds';
import { SLACK_LIMITS } from './slackLimits';

const STATUS_TEXT: Record<ApprovalStatus, string> = {
  proposed: '📝 Proposed',
  'awaiting-approval': '⏳ Awaiting approval',
  approved: '✅ Approved: queued for execution',
  denied: '⛔ Denied: nothing was run',
  expired: '⌛ Expired: nothing was run',
  cancelled: '🚫 Cancelled by the requester: nothing was run',
  executing: '⚙️ Executing',
  succeeded: '✅ Succeeded',
  failed: '❌ Failed',
  aborted: '🛑 Aborted',
};

/**
 * The approval message in the incident thread. Buttons only while approvals are open; every
 * later state re-renders the same message in place without them.
 */
export function renderApprovalMessage({ state, plan }: RemediationRequest): SlackMessage {
  const blocks: Block[] = [
    header(`Remediation request: ${plan.action} on ${plan.host}:${plan.port}`),
    section(planHeadline(plan)),
    section(planStepLines(plan, 2800)),
    section(statusLines(state)),
    context(
      `Plan hash ${inlineCode(`sha256:${state.planDigest}`, 80)}: what is approved is exactly what runs.`,
    ),
  ];
  if (state.status === 'awaiting-approval') blocks.push(buttons(state.requestId, plan));
  if (state.status === 'failed' || state.status === 'aborted') {
    // What ran may have changed the host: nothing is retried, the next step starts from a fresh look.
    blocks.push(
      context(
        `Nothing more will run for this request. Diagnose afresh: ${inlineCode(`/port check ${plan.host} ${plan.port}`, 120)}`,
      ),
    );
  }
  return {
    text: fallbackText(
      `Remediation ${plan.action} on ${plan.host}:${plan.port}: ${STATUS_TEXT[state.status]}`,
    ),
    blocks,
  };
}

function statusLines(state: RemediationRequest['state']): string {
  const lines = [`*${escapeMrkdwn(STATUS_TEXT[state.status])}*`];
  if (state.requester) {
    lines.push(
      `Requested by ${mention(state.requester)}, reason: ${quoteReason(state.reason ?? '')}`,
    );
  }
  const approvers = state.approvals.map(mention).join(', ') || 'none yet';
  lines.push(`Approvals: ${state.approvals.length} of ${state.required} (${approvers})`);
  if (state.decidedBy && (state.status === 'denied' || state.status === 'cancelled')) {
    lines.push(
      `${state.status === 'denied' ? 'Denied' : 'Cancelled'} by ${mention(state.decidedBy)}`,
    );
  }
  if (state.status === 'awaiting-approval' && state.expiresAt !== null) {
    const iso = new Date(state.expiresAt).toISOString();
    lines.push(`Expires <!date^${Math.floor(state.expiresAt / 1000)}^{time}|${iso}>`);
  }
  if (state.stepsDone > 0) {
    lines.push(`Steps done: ${state.stepsDone} (last: ${escapeMrkdwn(state.lastStep ?? '')})`);
  }
  if (state.outcomeReason) lines.push(escapeMrkdwn(state.outcomeReason));
  return lines.join('\n');
}

/**
 * The requester's words, on their own line and marked as quoted text: line breaks of any kind
 * (only a request stored before reasons were checked can hold one) are shown as spaces, so a
 * reason can never add a line that looks like one of portbot's status lines.
 */
function quoteReason(reason: string): string {
  return `“${escapeMrkdwn(reason.replace(/[\n\r\v\f\u0085\u2028\u2029]+/gu, ' '))}”`;
}

/** Ids come from Slack's verified payloads; anything else is shown, not linked. */
function mention(who: Identity): string {
  return /^[UW][A-Z0-9]+$/.test(who.userId) ? `<@${who.userId}>` : inlineCode(who.userId);
}

function buttons(requestId: string, plan: RemediationRequest['plan']): ActionsBlock {
  const b = (text: string, actionId: string, style?: 'primary' | 'danger'): ButtonElement => ({
    type: 'button',
    text: plainText(text, SLACK_LIMITS.buttonTextChars),
    action_id: actionId,
    value: requestId,
    ...(style ? { style } : {}),
  });
  const approve =
    plan.approvalClass === 'outage'
      ? {
          ...b('⚠️ Approve and accept an outage', APPROVAL_ACTION_IDS.approveOutage, 'danger'),
          confirm: {
            title: plainText('Accept an outage?', SLACK_LIMITS.confirmTitleChars),
            text: plainText(
              `No healthy HA peer: ${plan.host}:${plan.port} stops serving during this plan.`,
              SLACK_LIMITS.confirmTextChars,
            ),
            confirm: plainText('Accept the outage', SLACK_LIMITS.confirmButtonChars),
            deny: plainText('Back', SLACK_LIMITS.confirmButtonChars),
            style: 'danger' as const,
          },
        }
      : b('Approve', APPROVAL_ACTION_IDS.approve, 'primary');
  return {
    type: 'actions',
    elements: [
      approve,
      b('Deny', APPROVAL_ACTION_IDS.deny, 'danger'),
      b('Cancel request', APPROVAL_ACTION_IDS.cancel),
    ],
  };
}
