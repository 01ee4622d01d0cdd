import type { MethodHandler } from '../../../src/localSlack/MethodHandler';
import { apiError, str } from '../../../src/localSlack/MethodHandler';

const usersInfo: MethodHandler = (p, { store }) => {
  const id = str(p.user);
  const u = id ? store.user(id) : undefined;
  if (!u) return apiError('user_not_found');
  const realName = u.realName ?? u.name;
  return {
    ok: true,
    user: {
      id: u.id,
      team_id: store.bot.teamId,
      name: u.name,
      deleted: u.deleted ?? false,
      real_name: realName,
      tz: u.tz ?? 'Etc/UTC',
      is_admin: u.isAdmin ?? false,
      is_bot: u.isBot ?? false,
      profile: {
        real_name: realName,
        display_name: u.name,
        ...(u.email ? { email: u.email } : {}),
      },
    },
  };
};

function usergroupUsers(groups: ReadonlyMap<string, string[]>): MethodHandler {
  return (p) => {
    const id = str(p.usergroup);
    const users = id ? groups.get(id) : undefined;
    return users ? { ok: true, users: [...users] } : apiError('no_such_subteam');
  };
}

/** Lookups portbot does not call (so the product's local Slack leaves them out). */
export function lookupMethods(
  groups: ReadonlyMap<string, string[]>,
): Record<string, MethodHandler> {
  return {
    'users.info': usersInfo,
    'usergroups.users.list': usergroupUsers(groups),
  };
}
