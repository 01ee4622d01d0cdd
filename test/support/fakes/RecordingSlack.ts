import type { ModalView } from '../../../src/render/slack/modalTypes';
import type {
  MarkerSearch,
  SlackHistory,
  SlackPost,
  SlackPoster,
} from '../../../src/slack/SlackPoster';

/** Records what would be sent to Slack; unit tests only (integration tests use the stand-in). */
export class RecordingSlack implements SlackPoster, SlackHistory {
  readonly posts: SlackPost[] = [];
  readonly updates: (SlackPost & { ts: string })[] = [];
  readonly ephemerals: (SlackPost & { user: string })[] = [];
  readonly deletes: { channel: string; ts: string }[] = [];
  readonly views: { triggerId: string; view: ModalView }[] = [];
  private ts = 0;

  readonly tsOfPost: string[] = [];

  /** Runs between postOnce's claim and the post (a test pauses or steals the claim here). */
  beforePost: (() => Promise<void>) | null = null;

  async post(
    msg: SlackPost,
    beforeSend?: () => Promise<void>,
  ): Promise<{ channel: string; ts: string }> {
    await this.beforePost?.();
    await beforeSend?.();
    this.posts.push(msg);
    const ts = `1700000000.${String(++this.ts).padStart(6, '0')}`;
    this.tsOfPost.push(ts);
    return { channel: msg.channel, ts };
  }
  findMarked(search: MarkerSearch): Promise<string | null> {
    const i = this.posts.findIndex(
      (p) =>
        p.channel === search.channel &&
        p.threadTs === search.threadTs &&
        p.marker?.eventType === search.marker.eventType &&
        JSON.stringify(p.marker.payload) === JSON.stringify(search.marker.payload),
    );
    return Promise.resolve(i < 0 ? null : (this.tsOfPost[i] ?? null));
  }
  async update(msg: SlackPost & { ts: string }, beforeSend?: () => Promise<void>): Promise<void> {
    await beforeSend?.();
    this.updates.push(msg);
  }
  postEphemeral(msg: SlackPost & { user: string }): Promise<void> {
    this.ephemerals.push(msg);
    return Promise.resolve();
  }
  delete(msg: { channel: string; ts: string }): Promise<void> {
    this.deletes.push(msg);
    return Promise.resolve();
  }

  readonly dmsOpened: string[] = [];
  /** Set to make openDm fail, as Slack does for a deactivated user or a missing scope. */
  dmError: Error | null = null;

  openDm(userId: string): Promise<string> {
    this.dmsOpened.push(userId);
    if (this.dmError) return Promise.reject(this.dmError);
    return Promise.resolve(`D${userId.slice(1)}`);
  }

  openView(triggerId: string, view: ModalView): Promise<void> {
    this.views.push({ triggerId, view });
    return Promise.resolve();
  }
}
