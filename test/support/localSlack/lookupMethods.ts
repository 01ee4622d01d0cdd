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

/** Lookups portbot does not call (so the product's local Slack leaves them out). */
export function lookupMethods(): Record<string, MethodHandler> {
  return { 'users.info': usersInfo };
}
