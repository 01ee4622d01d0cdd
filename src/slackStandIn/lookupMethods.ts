import type { MethodHandler } from './MethodHandler';
import { apiError, str } from './MethodHandler';

const authTest: MethodHandler = (_p, { store }) => ({
  ok: true,
  url: `https://${store.bot.team}.slack.com/`,
  team: store.bot.team,
  user: store.bot.userName,
  team_id: store.bot.teamId,
  user_id: store.bot.userId,
  bot_id: store.bot.botId,
  is_enterprise_install: false,
});

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

const usergroupUsers: MethodHandler = (p, { store }) => {
  const id = str(p.usergroup);
  const users = id ? store.userGroup(id) : undefined;
  return users ? { ok: true, users } : apiError('no_such_subteam');
};

const conversationsInfo: MethodHandler = (p, { store }) => {
  const id = str(p.channel);
  const c = id ? store.channel(id) : undefined;
  if (!c) return apiError('channel_not_found');
  const isPrivate = c.isPrivate ?? false;
  return {
    ok: true,
    channel: {
      id: c.id,
      name: c.name,
      is_channel: !isPrivate,
      is_group: isPrivate,
      is_im: false,
      is_private: isPrivate,
      is_archived: c.isArchived ?? false,
      is_member: c.botIsMember !== false,
      ...(c.members ? { num_members: c.members.length } : {}),
    },
  };
};

export const lookupMethods: Record<string, MethodHandler> = {
  'auth.test': authTest,
  'users.info': usersInfo,
  'usergroups.users.list': usergroupUsers,
  'conversations.info': conversationsInfo,
};
