import type { MethodHandler } from './MethodHandler';
import { apiError, str } from './MethodHandler';

/**
 * usergroups.users.list, as portbot asks it for the policy's user groups: the members seeded
 * for the group, or `no_such_subteam` as Slack answers for a group it does not know.
 */
export const usergroupsUsersList: MethodHandler = (p, { store }) => {
  const id = str(p.usergroup);
  const users = id ? store.userGroup(id) : undefined;
  return users ? { ok: true, users } : apiError('no_such_subteam');
};
