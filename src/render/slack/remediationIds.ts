/** The Slack ids of the remediation flow (docs/reference/slack.md): one copy for renderers and handlers. */
export const REQUEST_MODAL_CALLBACK_ID = 'portbot:remediation:request';
/** Where the modal's reason input sits in `view.state.values`. */
export const REASON_BLOCK_ID = 'portbot:remediation:reason';
export const REASON_ACTION_ID = 'reason';

/** Every approval button's action id starts with it (the handler matches on it). */
export const APPROVAL_ACTION_PREFIX = 'portbot:approval:';
export const APPROVAL_ACTION_IDS = {
  approve: `${APPROVAL_ACTION_PREFIX}approve`,
  deny: `${APPROVAL_ACTION_PREFIX}deny`,
  cancel: `${APPROVAL_ACTION_PREFIX}cancel`,
  approveOutage: `${APPROVAL_ACTION_PREFIX}approve-outage`,
} as const;
export type ApprovalButton = keyof typeof APPROVAL_ACTION_IDS;
