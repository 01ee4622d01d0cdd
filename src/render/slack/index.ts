/** Pure Block Kit builders for portbot's Slack messages; no Slack package is imported. */
export type { Block, SlackMessage } from './blockKitTypes';
export { ACTION_ID_PREFIX, type ActionButtonValue } from './actionButtons';
export {
  checkBlockKitLimits,
  type LimitViolation,
  type SlackLimitError,
} from './checkBlockKitLimits';
export { escapeMrkdwn } from './escapeMrkdwn';
export { renderDiagnosingMessage, type DiagnosingMessageInput } from './renderDiagnosingMessage';
export { renderDiagnosisMessage, type DiagnosisMessageContext } from './renderDiagnosisMessage';
export { renderError } from './renderError';
export { renderEvidenceReply, type EvidenceReplyOptions } from './renderEvidenceReply';
export { renderGroupSummary, type GroupSummaryContext } from './renderGroupSummary';
export { renderHelp } from './renderHelp';
export { renderHeldSummary, type HeldSummaryInput } from './renderHeldSummary';
export { renderSweepDigest, type SweepDigestInput } from './renderSweepDigest';
export { RENDER_BUDGET, SLACK_LIMITS } from './slackLimits';
export { truncateText } from './truncateText';
