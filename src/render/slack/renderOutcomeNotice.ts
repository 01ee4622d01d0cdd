import type { ApprovalStatus } from '../../approval/ApprovalState';
import type { RemediationRequest } from '../../approval/ApprovalStore';
import type { SlackMessage } from './blockKitTypes';
import { section } from './blocks';
import { escapeMrkdwn, inlineCode } from './escapeMrkdwn';
import { fallbackText } from './fallbackText';

/** How a request's outcome reads after "your request to <action> on <host>:<port> …". */
export const OUTCOME_PHRASE: Record<ApprovalStatus, string> = {
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

/** Ids come from Slack's verified payloads; anything else is never turned into a mention. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;

/**
 * The thread reply with the outcome, so the channel sees it. It mentions the requester only
 * when `mention` is set: the requester is told by DM, and pinged here instead when the DM failed.
 */
export function renderOutcomeNotice(
  { state, plan }: RemediationRequest,
  opts: { mention: boolean },
): SlackMessage {
  const requester = state.requester?.userId ?? '';
  const who = opts.mention && SLACK_USER_ID.test(requester) ? `<@${requester}> your` : 'The';
  const target = `${plan.action} on ${plan.host}:${plan.port}`;
  const line = `${who} request to ${escapeMrkdwn(target)} ${OUTCOME_PHRASE[state.status]}`;
  const reason = state.outcomeReason ? `\n${inlineCode(state.outcomeReason)}` : '';
  return {
    text: fallbackText(`Remediation ${target} ${OUTCOME_PHRASE[state.status]}`),
    blocks: [section(`${line}${reason}`)],
  };
}
