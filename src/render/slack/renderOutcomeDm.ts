import type { Identity } from '../../approval/ApprovalState';
import type { RemediationRequest } from '../../approval/ApprovalStore';
import type { SlackMessage } from './blockKitTypes';
import { context, section } from './blocks';
import { escapeMrkdwn, inlineCode } from './escapeMrkdwn';
import { fallbackText } from './fallbackText';
import { OUTCOME_PHRASE, SLACK_USER_ID } from './renderOutcomeNotice';

const CHANNEL_ID = /^[CGD][A-Z0-9]+$/;

/**
 * The DM that tells the requester the outcome of their request: what, on which host:port, who
 * decided, and where to find the thread (incident id and channel; the approval message there
 * shows the full state).
 */
export function renderOutcomeDm({ state, plan, message }: RemediationRequest): SlackMessage {
  const target = `${plan.action} on ${plan.host}:${plan.port}`;
  const lines = [`Your request to ${escapeMrkdwn(target)} ${OUTCOME_PHRASE[state.status]}.`];
  if (state.decidedBy && state.status === 'denied')
    lines.push(`Denied by ${who(state.decidedBy)}.`);
  if (state.status === 'approved' && state.approvals.length > 0) {
    lines.push(`Approved by ${state.approvals.map(who).join(', ')}.`);
  }
  if (state.outcomeReason) lines.push(inlineCode(state.outcomeReason));
  const where = CHANNEL_ID.test(message.channel)
    ? `<#${message.channel}>`
    : inlineCode(message.channel);
  return {
    text: fallbackText(`Your remediation request ${target} ${OUTCOME_PHRASE[state.status]}`),
    blocks: [
      section(lines.join('\n')),
      context(
        `Incident ${inlineCode(state.incidentId, 80)} (${escapeMrkdwn(`${plan.host}:${plan.port}`)}), thread in ${where}; request ${inlineCode(state.requestId, 40)}`,
      ),
    ],
  };
}

function who(id: Identity): string {
  return SLACK_USER_ID.test(id.userId) ? `<@${id.userId}>` : inlineCode(id.userId);
}
