import { checkMessageContent } from './checkMessageContent';
import type { MethodHandler } from './MethodHandler';
import { apiError, postableChannel, str, truthy } from './MethodHandler';
import type { StoredMessage } from './localSlackTypes';

/** A stored message as Slack returns it inside API responses. */
export function slackMessage(m: StoredMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { ...m, subtype: 'bot_message' };
  delete out.channel;
  delete out.previousVersions;
  return out;
}

function parseMetadata(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

const postMessage: MethodHandler = (p, ctx) => {
  const channel = postableChannel(ctx, p.channel);
  if ('error' in channel) return apiError(channel.error);
  const checked = checkMessageContent(p);
  if (!checked.ok) return apiError(checked.err);
  const threadTs = str(p.thread_ts);
  const msg = ctx.store.postMessage(channel.id, checked.content, {
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(truthy(p.reply_broadcast) ? { reply_broadcast: true } : {}),
    ...(p.metadata !== undefined ? { metadata: parseMetadata(p.metadata) } : {}),
  });
  return { ok: true, channel: channel.id, ts: msg.ts, message: slackMessage(msg) };
};

const update: MethodHandler = (p, ctx) => {
  const channel = postableChannel(ctx, p.channel);
  if ('error' in channel) return apiError(channel.error);
  const ts = str(p.ts);
  if (!ts || !ctx.store.message(channel.id, ts)) return apiError('message_not_found');
  const checked = checkMessageContent(p);
  if (!checked.ok) return apiError(checked.err);
  const msg = ctx.store.updateMessage(channel.id, ts, checked.content);
  if (!msg) return apiError('message_not_found');
  return { ok: true, channel: channel.id, ts, text: msg.text, message: slackMessage(msg) };
};

const postEphemeral: MethodHandler = (p, ctx) => {
  const channel = postableChannel(ctx, p.channel);
  if ('error' in channel) return apiError(channel.error);
  const user = str(p.user);
  const known = user !== undefined && ctx.store.user(user) !== undefined;
  if (!user || !known || (channel.members && !channel.members.includes(user))) {
    return apiError('user_not_in_channel');
  }
  const checked = checkMessageContent(p);
  if (!checked.ok) return apiError(checked.err);
  const messageTs = ctx.store.newEphemeralTs();
  const threadTs = str(p.thread_ts);
  ctx.store.addEphemeral({
    channel: channel.id,
    user,
    message_ts: messageTs,
    text: checked.content.text ?? '',
    ...(checked.content.blocks ? { blocks: checked.content.blocks } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  return { ok: true, message_ts: messageTs };
};

const deleteMessage: MethodHandler = (p, ctx) => {
  const channel = postableChannel(ctx, p.channel);
  if ('error' in channel) return apiError(channel.error);
  const ts = str(p.ts);
  if (!ts || !ctx.store.deleteMessage(channel.id, ts)) return apiError('message_not_found');
  return { ok: true, channel: channel.id, ts };
};

export const chatMethods: Record<string, MethodHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.delete': deleteMessage,
};
