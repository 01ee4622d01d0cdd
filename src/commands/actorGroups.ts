import { errorMessage } from '../domain/errorMessage';
import type { RemediationFlowDeps } from './RemediationFlowDeps';

export interface ActorGroups {
  groups: readonly string[];
  /** Slack could not list a policy group: membership through groups is unknown, not denied. */
  unchecked: boolean;
}

/**
 * The acting user's groups, failing closed: when Slack cannot list them the user counts as in
 * none, and `unchecked` lets the caller say so instead of "not an approver".
 */
export async function actorGroups(
  deps: Pick<RemediationFlowDeps, 'userGroups' | 'log'>,
  userId: string,
): Promise<ActorGroups> {
  try {
    return { groups: await deps.userGroups(userId), unchecked: false };
  } catch (err) {
    deps.log.warn({ user: userId, err: errorMessage(err) }, 'user group membership not checked');
    return { groups: [], unchecked: true };
  }
}

export const MEMBERSHIP_UNCHECKED =
  'your user group membership could not be checked (Slack did not answer): nothing was changed, try again in a moment';
