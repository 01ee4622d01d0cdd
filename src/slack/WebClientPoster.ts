import type { WebClient } from '@slack/web-api';
import { PortbotError } from '../domain/PortbotError';
import type { ModalView } from '../render/slack/modalTypes';
import { slackCall } from './slackCall';
import type {
  MarkerSearch,
  SlackHistory,
  SlackMarker,
  SlackPost,
  SlackPoster,
} from './SlackPoster';

/** Messages per history page; recovery searches a bounded window, so a few pages at most. */
const PAGE_SIZE = 200;

/**
 * SlackPoster over @slack/web-api (clients from createWebClients). Built with
 * rejectRateLimitedCalls: a 429 becomes RetryLater(Retry-After), so the job waits in the queue
 * instead of holding a claim and a slot. Posts go through `posts`, a client that never resends.
 */
export class WebClientPoster implements SlackPoster, SlackHistory {
  constructor(
    private readonly client: WebClient,
    private readonly posts: WebClient,
  ) {}

  async post(
    msg: SlackPost,
    beforeSend?: () => Promise<void>,
  ): Promise<{ channel: string; ts: string }> {
    await beforeSend?.();
    const res = await slackCall(() =>
      this.posts.chat.postMessage({
        channel: msg.channel,
        text: msg.text,
        ...(msg.blocks ? { blocks: msg.blocks } : {}),
        ...(msg.threadTs ? { thread_ts: msg.threadTs } : {}),
        ...(msg.marker
          ? { metadata: { event_type: msg.marker.eventType, event_payload: msg.marker.payload } }
          : {}),
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    if (!res.ts || !res.channel)
      throw new PortbotError('SLACK_API', 'chat.postMessage returned no ts', { userFacing: false });
    return { channel: res.channel, ts: res.ts };
  }

  async update(msg: SlackPost & { ts: string }, beforeSend?: () => Promise<void>): Promise<void> {
    await beforeSend?.();
    await slackCall(() =>
      this.client.chat.update({
        channel: msg.channel,
        ts: msg.ts,
        text: msg.text,
        ...(msg.blocks ? { blocks: msg.blocks } : {}),
      }),
    );
  }

  async postEphemeral(msg: SlackPost & { user: string }): Promise<void> {
    await this.client.chat.postEphemeral({
      channel: msg.channel,
      user: msg.user,
      text: msg.text,
      ...(msg.blocks ? { blocks: msg.blocks } : {}),
      ...(msg.threadTs ? { thread_ts: msg.threadTs } : {}),
    });
  }

  async delete(msg: { channel: string; ts: string }): Promise<void> {
    await slackCall(() => this.client.chat.delete({ channel: msg.channel, ts: msg.ts }));
  }

  async openView(triggerId: string, view: ModalView): Promise<void> {
    await slackCall(() => this.client.views.open({ trigger_id: triggerId, view }));
  }

  async openDm(userId: string): Promise<string> {
    const res = await slackCall(() => this.client.conversations.open({ users: userId }));
    const id = res.channel?.id;
    if (!id)
      throw new PortbotError('SLACK_API', 'conversations.open returned no channel', {
        userFacing: false,
      });
    return id;
  }

  async findMarked(search: MarkerSearch): Promise<string | null> {
    const oldest = (search.oldestMs / 1000).toFixed(6);
    let cursor: string | undefined;
    do {
      const page = {
        channel: search.channel,
        oldest,
        limit: PAGE_SIZE,
        include_all_metadata: true,
      };
      const more = cursor ? { cursor } : {};
      const threadTs = search.threadTs;
      const res = await slackCall(() =>
        threadTs
          ? this.client.conversations.replies({ ...page, ts: threadTs, ...more })
          : this.client.conversations.history({ ...page, ...more }),
      );
      const hit = (res.messages ?? []).find((m) => carries(m.metadata, search.marker));
      if (hit?.ts) return hit.ts;
      cursor = res.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return null;
  }
}

function carries(
  metadata: { event_type?: string; event_payload?: Record<string, unknown> } | undefined,
  marker: SlackMarker,
): boolean {
  if (metadata?.event_type !== marker.eventType) return false;
  const payload = metadata.event_payload ?? {};
  return Object.entries(marker.payload).every(([k, v]) => payload[k] === v);
}
