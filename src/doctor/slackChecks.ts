import { check, type DoctorCheck } from './DoctorCheck';
import type { SlackAuthFacts, SlackChannelFacts } from '../domain/DoctorProbes';
import { requiredSlackScopes, unusedSlackScopes } from './requiredSlackScopes';

export interface SlackCheckInput {
  auth: SlackAuthFacts;
  /** PORTBOT_ALERT_CHANNEL; null when unset. */
  channelId: string | null;
  /** conversations.info for channelId; null when not asked (no channel, or auth failed). */
  channel: SlackChannelFacts | null;
  policyNamesGroups: boolean;
  /** The policy's `workspaces`; null admits any. */
  workspaces: readonly string[] | null;
}

const AUTH_ERRORS: Readonly<Record<string, string>> = {
  invalid_auth:
    'the token is not valid (mistyped, from another workspace, or the app was reinstalled)',
  token_revoked: 'the token was revoked',
  account_inactive: 'the token belongs to a deleted user or a removed app',
  not_authed: 'no token was sent',
  token_expired: 'the token expired (token rotation is on)',
};

/** Without SLACK_BOT_TOKEN portbot runs its own local Slack: there is no workspace to check. */
export function localModeSlackCheck(): DoctorCheck {
  return check(
    'slack.auth',
    null,
    'warn',
    'SLACK_BOT_TOKEN is unset: local mode (the built-in local Slack), no workspace to check',
    'to use a real workspace set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (README: Slack app)',
  );
}

/** auth.test, the alert channel, then the granted scopes against those this deployment needs. */
export function slackChecks(input: SlackCheckInput): DoctorCheck[] {
  const { auth } = input;
  if (!auth.ok) {
    const why = AUTH_ERRORS[auth.error];
    return [
      auth.reached
        ? check(
            'slack.auth',
            null,
            'fail',
            `auth.test answered ${auth.error}${why ? `: ${why}` : ''}; channel and scopes not checked`,
            "copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page into SLACK_BOT_TOKEN",
          )
        : check(
            'slack.auth',
            null,
            'fail',
            `cannot reach Slack: ${auth.error}; channel and scopes not checked`,
            'check outbound HTTPS to slack.com (proxy, firewall) or SLACK_API_URL',
          ),
    ];
  }
  const who = `bot ${auth.user} (${auth.userId}) in workspace ${auth.team} (${auth.teamId})`;
  const allowed =
    input.workspaces === null ||
    input.workspaces.includes(auth.teamId) ||
    (auth.enterpriseId !== null && input.workspaces.includes(auth.enterpriseId));
  const checks = [
    allowed
      ? check('slack.auth', null, 'ok', who)
      : check(
          'slack.auth',
          null,
          'fail',
          `${who}, which the policy's workspaces (${input.workspaces?.join(', ') ?? ''}) leave out: every command would be refused`,
          `add ${auth.teamId} to workspaces in the policy, or use a token of an allowed workspace`,
        ),
  ];
  checks.push(channelCheck(input, auth.user));
  const privateChannel =
    input.channel?.ok === true ? input.channel.isPrivate : (input.channelId ?? '').startsWith('G');
  checks.push(scopesCheck(auth.scopes, privateChannel, input.policyNamesGroups));
  return checks;
}

function channelCheck(input: SlackCheckInput, botName: string): DoctorCheck {
  const id = input.channelId;
  if (id === null || input.channel === null) {
    return check(
      'slack.channel',
      null,
      'ok',
      'PORTBOT_ALERT_CHANNEL is unset: alert webhooks are off',
    );
  }
  const c = input.channel;
  if (!c.ok) {
    if (c.error === 'channel_not_found') {
      return check(
        'slack.channel',
        id,
        'fail',
        `channel ${id} not found: the id is wrong, the channel was deleted, or it is private and the bot was never invited`,
        `check PORTBOT_ALERT_CHANNEL (channel details → channel ID); for a private channel, /invite @${botName} there first`,
      );
    }
    if (c.error === 'missing_scope') {
      return check(
        'slack.channel',
        id,
        'fail',
        `cannot look channel ${id} up: the token lacks the ${c.needed ?? 'needed'} scope`,
        `add ${c.needed ?? 'the scope'} under OAuth & Permissions → Bot Token Scopes and reinstall the app`,
      );
    }
    return check(
      'slack.channel',
      id,
      'fail',
      c.reached ? `conversations.info answered ${c.error}` : `cannot reach Slack: ${c.error}`,
      'run doctor again; if it persists, check the channel in Slack',
    );
  }
  const named = `#${c.name} (${c.id})`;
  if (c.isArchived) {
    return check(
      'slack.channel',
      id,
      'fail',
      `${named} is archived: alert threads cannot be posted there`,
      'unarchive it, or set PORTBOT_ALERT_CHANNEL to another channel',
    );
  }
  if (!c.isMember) {
    return check(
      'slack.channel',
      id,
      'fail',
      `the bot is not a member of ${named}: posts there answer not_in_channel`,
      `invite it: /invite @${botName} in ${named}`,
    );
  }
  return check('slack.channel', id, 'ok', `${named}: the bot is a member`);
}

function scopesCheck(
  granted: readonly string[] | null,
  privateChannel: boolean,
  policyNamesGroups: boolean,
): DoctorCheck {
  if (granted === null) {
    return check(
      'slack.scopes',
      null,
      'warn',
      'Slack sent no x-oauth-scopes header: the granted scopes cannot be checked',
      'compare the Bot Token Scopes on the OAuth & Permissions page with docs/reference/cli.md (portbot doctor)',
    );
  }
  const required = requiredSlackScopes({ privateChannel, policyNamesGroups });
  const missing = required.filter((r) => !granted.includes(r.scope));
  if (missing.length > 0) {
    const list = missing.map((m) => `${m.scope} (${m.usedBy})`).join(', ');
    return check(
      'slack.scopes',
      null,
      'fail',
      `missing ${missing.length === 1 ? 'scope' : 'scopes'}: ${list}`,
      'add them under OAuth & Permissions → Bot Token Scopes, reinstall the app and update SLACK_BOT_TOKEN if it changed',
    );
  }
  const unused = unusedSlackScopes(granted);
  if (unused.length > 0) {
    return check(
      'slack.scopes',
      null,
      'warn',
      `all ${required.length} needed scopes granted; also granted but never used by portbot: ${unused.join(', ')}`,
      'remove the unused scopes from the app and reinstall it (least privilege)',
    );
  }
  return check(
    'slack.scopes',
    null,
    'ok',
    `all ${required.length} needed scopes granted (${required.map((r) => r.scope).join(', ')})`,
  );
}
