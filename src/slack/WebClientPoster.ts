import type { WebClient } from '@slack/web-api';
import { PortbotError } from '../domain/PortbotError';
import type { ModalView } from '../render/slack/modalTypes';
import type { SlackPost, SlackPoster } from './SlackPoster';

/** SlackPoster over @slack/web-api; the client's retry policy honours Retry-After on 429. */
export class WebClientPoster implements SlackPoster {
  constructor(private readonly client: WebClient) {}

  async post(msg: SlackPost): Promise<{ channel: string; ts: string }> {
    const res = await this.client.chat.postMessage({
      channel: msg.channel,
      text: msg.text,
      ...(msg.blocks ? { blocks: msg.blocks } : {}),
      ...(msg.threadTs ? { thread_ts: msg.threadTs } : {}),
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!res.ts || !res.channel)
      throw new PortbotError('SLACK_API', 'chat.postMessage returned no ts', { userFacing: false });
    return { channel: res.channel, ts: res.ts };
  }

  async update(msg: SlackPost & { ts: string }): Promise<void> {
    await this.client.chat.update({
      channel: msg.channel,
      ts: msg.ts,
      text: msg.text,
      ...(msg.blocks ? { blocks: msg.blocks } : {}),
    });
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

  async openView(triggerId: string, view: ModalView): Promise<void> {
    await this.client.views.open({ trigger_id: triggerId, view });
  }
}
