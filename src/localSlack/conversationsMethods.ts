import type { MethodHandler } from './MethodHandler';
import { apiError, str, truthy } from './MethodHandler';
import { slackMessage } from './chatMethods';
import type { Params, StoredMessage } from './localSlackTypes';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 999;

/**
 * conversations.history and conversations.replies as portbot calls them to find a message it
 * marked with metadata: oldest/latest bounds, limit + cursor paging, and metadata only with
 * include_all_metadata (as Slack does).
 */
function page(p: Params, list: StoredMessage[]): Record<string, unknown> {
  const oldest = Number(str(p.oldest) ?? '0');
  const latest = Number(str(p.latest) ?? 'Infinity');
  const inclusive = truthy(p.inclusive);
  const inWindow = list.filter((m) => {
    const ts = Number(m.ts);
    return inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest;
  });
  const limit = Math.min(
    Math.max(Number(str(p.limit) ?? DEFAULT_LIMIT) || DEFAULT_LIMIT, 1),
    MAX_LIMIT,
  );
  const start = decodeCursor(str(p.cursor));
  if (start === undefined) return apiError('invalid_cursor');
  const slice = inWindow.slice(start, start + limit);
  const hasMore = start + limit < inWindow.length;
  const withMetadata = truthy(p.include_all_metadata);
  return {
    ok: true,
    messages: slice.map((m) => {
      const out = slackMessage(m);
      if (!withMetadata) delete out.metadata;
      return out;
    }),
    has_more: hasMore,
    response_metadata: { next_cursor: hasMore ? encodeCursor(start + limit) : '' },
  };
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined || cursor === '') return 0;
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

const history: MethodHandler = (p, { store }) => {
  const channel = store.channel(str(p.channel) ?? '');
  if (!channel) return apiError('channel_not_found');
  // Newest first, as Slack answers.
  return page(p, store.topLevelMessages(channel.id).reverse());
};

const replies: MethodHandler = (p, { store }) => {
  const channel = store.channel(str(p.channel) ?? '');
  if (!channel) return apiError('channel_not_found');
  const ts = str(p.ts);
  const thread = ts === undefined ? undefined : store.thread(channel.id, ts);
  if (!thread?.root) return apiError('thread_not_found');
  // The root first, then replies oldest first, as Slack answers.
  return page(p, [thread.root, ...thread.replies]);
};

export const conversationsMethods: Record<string, MethodHandler> = {
  'conversations.history': history,
  'conversations.replies': replies,
};
