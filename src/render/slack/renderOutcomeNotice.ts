import type { ApprovalStatus } from '../../approval/ApprovalState';
import type { RemediationRequest } from '../../approval/ApprovalStore';
import type { SlackMessage } from './blockKitTypes';
import { section } from './blocks';
import { escapeMrkdwn, inlineCode } from './escapeMrkdwn';
import { fallbackText } from './fallbackText';

const OUTCOME: Record<ApprovalStatus, string> = {
  proposed: 'is proposed',
  'awaiting-approval': 'awaits approval',
  approved: 'was approved and is queued for execution',
  denied: 'was denied: nothing was run',
  expired: 'expired without enough approvals: nothing was run',
  cancelled: 'was cancelled',
  executing: 'is running',
  succeeded: 'succeeded',
  failed: 'failed',
  aborted: 'was aborted',
};

/** The thread reply that tells the requester (by mention, so Slack notifies them) the outcome. */
export function renderOutcomeNotice({ state, plan }: RemediationRequest): SlackMessage {
  const who = state.requester && /^[UW][A-Z0-9]+$/.test(state.requester.userId);
  const target = `${plan.action} on ${plan.host}:${plan.port}`;
  const line = `your request to ${escapeMrkdwn(target)} ${OUTCOME[state.status]}`;
  const reason = state.outcomeReason ? `\n${inlineCode(state.outcomeReason)}` : '';
  return {
    text: fallbackText(`Remediation ${target} ${OUTCOME[state.status]}`),
    blocks: [section(`${who ? `<@${state.requester?.userId}> ` : ''}${line}${reason}`)],
  };
}
