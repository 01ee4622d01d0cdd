import { SLACK_BOT_SCOPES, type SlackBotScope } from '../domain/slackBotScopes';

export interface ScopeContext {
  privateChannel: boolean;
  policyNamesGroups: boolean;
}

/** The scopes this deployment needs, given its alert channel and policy. */
export function requiredSlackScopes(ctx: ScopeContext): SlackBotScope[] {
  return SLACK_BOT_SCOPES.filter(
    (s) =>
      s.need === 'always' ||
      (s.need === 'private-channel' && ctx.privateChannel) ||
      (s.need === 'policy-groups' && ctx.policyNamesGroups),
  );
}

/** Granted scopes no code of portbot's ever calls for (needed or not in this deployment). */
export function unusedSlackScopes(granted: readonly string[]): string[] {
  const known = new Set(SLACK_BOT_SCOPES.map((s) => s.scope));
  return granted.filter((g) => !known.has(g));
}
