import type { MethodHandler } from './MethodHandler';

/** auth.test: portbot's readiness check and Bolt's start-up token check both call it. */
export const authTest: MethodHandler = (_p, { store }) => ({
  ok: true,
  url: `https://${store.bot.team}.slack.com/`,
  team: store.bot.team,
  user: store.bot.userName,
  team_id: store.bot.teamId,
  user_id: store.bot.userId,
  bot_id: store.bot.botId,
  is_enterprise_install: false,
});
