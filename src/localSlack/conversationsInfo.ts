import type { MethodHandler } from './MethodHandler';
import { apiError, str } from './MethodHandler';

/**
 * conversations.info as `portbot doctor` calls it for the alert channel. Like Slack: a private
 * channel the bot is not in is `channel_not_found` (it cannot see it), and a token without the
 * read scope for the channel's kind answers `missing_scope` with `needed` and `provided`.
 */
export const conversationsInfo: MethodHandler = (p, { store }) => {
  const id = str(p.channel);
  const c = id ? store.channel(id) : undefined;
  const isPrivate = c?.isPrivate ?? false;
  const needed = isPrivate || id?.startsWith('G') ? 'groups:read' : 'channels:read';
  const granted = store.scopes();
  if (!granted.includes(needed)) {
    return { ...apiError('missing_scope'), needed, provided: granted.join(',') };
  }
  if (!c || (isPrivate && c.botIsMember === false)) return apiError('channel_not_found');
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
