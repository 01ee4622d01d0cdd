/**
 * When portbot needs a bot scope: always, only when the alert channel is private, or only when
 * the policy names Slack user groups (docs/reference/policy.md).
 */
export type ScopeNeed = 'always' | 'private-channel' | 'policy-groups';

export interface SlackBotScope {
  scope: string;
  /** The Web API methods (or Slack feature) that need it. */
  usedBy: string;
  need: ScopeNeed;
}

/**
 * Every bot token scope portbot's code calls for, and no other: `portbot doctor` compares the
 * token's scopes with it and the local Slack grants these by default.
 */
export const SLACK_BOT_SCOPES: readonly SlackBotScope[] = [
  { scope: 'commands', usedBy: 'the /port slash command', need: 'always' },
  {
    scope: 'chat:write',
    usedBy: 'chat.postMessage, chat.update, chat.delete, chat.postEphemeral',
    need: 'always',
  },
  {
    scope: 'channels:history',
    usedBy: 'conversations.history, conversations.replies (finding an alert thread again)',
    need: 'always',
  },
  { scope: 'channels:read', usedBy: 'conversations.info (portbot doctor)', need: 'always' },
  { scope: 'im:write', usedBy: 'conversations.open (telling a requester by DM)', need: 'always' },
  {
    scope: 'files:write',
    usedBy: 'files.getUploadURLExternal, files.completeUploadExternal (/port audit export)',
    need: 'always',
  },
  {
    scope: 'groups:history',
    usedBy: 'conversations.history, conversations.replies in a private alert channel',
    need: 'private-channel',
  },
  {
    scope: 'groups:read',
    usedBy: 'conversations.info on a private alert channel (portbot doctor)',
    need: 'private-channel',
  },
  {
    scope: 'usergroups:read',
    usedBy: 'usergroups.users.list (policy principals given as user groups)',
    need: 'policy-groups',
  },
];
