/** The Slack ids of the remediation flow (docs/reference/slack.md): one copy for renderers and handlers. */
export const REQUEST_MODAL_CALLBACK_ID = 'portbot:remediation:request';
/** Where the modal's reason input sits in `view.state.values`. */
export const REASON_BLOCK_ID = 'portbot:remediation:reason';
export const REASON_ACTION_ID = 'reason';

export const APPROVAL_ACTION_IDS = {
  approve: 'portbot:approval:approve',
  deny: 'portbot:approval:deny',
  cancel: 'portbot:approval:cancel',
  approveOutage: 'portbot:approval:approve-outage',
} as const;
export type ApprovalButton = keyof typeof APPROVAL_ACTION_IDS;
