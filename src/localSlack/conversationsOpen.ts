import type { MethodHandler } from './MethodHandler';
import { apiError, str } from './MethodHandler';

const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * conversations.open with `users` set to one user id, as portbot opens a DM to tell a requester
 * the outcome. Like Slack: the same user always gets the same `D…` channel (`already_open` on a
 * later call), an unknown or malformed id answers `user_not_found`, a deactivated user
 * `user_disabled`, a bot `cannot_dm_bot`. Group DMs (several users) are not served.
 */
export const conversationsOpen: MethodHandler = (p, { store }) => {
  const users = (str(p.users) ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  if (users.length === 0) return apiError('users_list_not_supplied');
  if (users.length > 1) return apiError('not_supported');
  const id = users[0] ?? '';
  const user = USER_ID.test(id) ? store.user(id) : undefined;
  if (!user) return apiError('user_not_found');
  if (user.deleted) return apiError('user_disabled');
  if (user.isBot || id === store.bot.userId) return apiError('cannot_dm_bot');
  const dm = store.openDm(id);
  return {
    ok: true,
    ...(dm.alreadyOpen ? { no_op: true, already_open: true } : {}),
    channel: { id: dm.id },
  };
};
