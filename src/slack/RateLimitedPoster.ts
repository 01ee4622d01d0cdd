import type { TokenBucket } from '../domain/TokenBucket';
import { RetryLater } from '../domain/RetryLater';
import type { ModalView } from '../render/slack/modalTypes';
import type { SlackPost, SlackPoster } from './SlackPoster';

/** A job waits this long at most for its turn; beyond, it goes back to the queue (RetryLater). */
const MAX_WAIT_MS = 10_000;

/**
 * Keeps every worker together under Slack's limits: messages (posts and updates) per channel,
 * plus chat.update per workspace. Root refreshes coalesce in the queue before they get here.
 */
export class RateLimitedPoster implements SlackPoster {
  constructor(
    private readonly inner: SlackPoster,
    private readonly bucket: TokenBucket,
    private readonly rates: {
      /** Messages (posts and updates) per channel: Slack's "one per second per channel". */
      perChannel: { perSecond: number; burst: number };
      /** chat.update per workspace: Slack's Tier 3, "50+ per minute". */
      updates: { perSecond: number; burst: number };
    },
  ) {}

  async post(
    msg: SlackPost,
    beforeSend?: () => Promise<void>,
  ): Promise<{ channel: string; ts: string }> {
    await this.turn(`channel:${msg.channel}`, this.rates.perChannel);
    return this.inner.post(msg, beforeSend);
  }

  async update(msg: SlackPost & { ts: string }, beforeSend?: () => Promise<void>): Promise<void> {
    await this.turn('chat.update', this.rates.updates);
    await this.turn(`channel:${msg.channel}`, this.rates.perChannel);
    await this.inner.update(msg, beforeSend);
  }

  /** Ephemerals answer a person who just typed a command: not held back. */
  postEphemeral(msg: SlackPost & { user: string }): Promise<void> {
    return this.inner.postEphemeral(msg);
  }

  /** Removing a duplicate is rare and Tier 3: not held back behind posts. */
  delete(msg: { channel: string; ts: string }): Promise<void> {
    return this.inner.delete(msg);
  }

  /** A modal answers a click whose trigger id lives 3 s: not held back either. */
  openView(triggerId: string, view: ModalView): Promise<void> {
    return this.inner.openView(triggerId, view);
  }

  /** Opening a DM posts nothing; the post to it goes through post() and its channel budget. */
  openDm(userId: string): Promise<string> {
    return this.inner.openDm(userId);
  }

  private async turn(key: string, rate: { perSecond: number; burst: number }): Promise<void> {
    const wait = await this.bucket.reserve(key, rate, MAX_WAIT_MS);
    if (wait === null) throw new RetryLater(MAX_WAIT_MS, `Slack rate budget for ${key} is spent`);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
