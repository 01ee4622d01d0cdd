import type { SlackMessage } from '../render/slack/blockKitTypes';
import type { PostSlot } from '../domain/PostSlot';
import { postOnce, type PostOnceDeps } from './postOnce';

/** A record that owns one Slack thread: an incident or a fleet check. */
export interface ThreadRecord {
  id: string;
  channel: string;
  rootTs: string | null;
  openedAt: number;
}

/** What ensureRoot needs from the IncidentStore or the FleetCheckStore. */
export interface RootStore {
  rootSlot(id: string): PostSlot;
}

/** Recovery searches the channel back to a minute before the record opened (clock skew). */
const SEARCH_SLACK_MS = 60_000;

/** Posts the "diagnosing…" root once per thread, whatever crashes (see postOnce), and returns it. */
export async function ensureRoot(
  deps: PostOnceDeps & { store: RootStore },
  thread: ThreadRecord,
  diagnosing: SlackMessage,
): Promise<{ channel: string; ts: string }> {
  if (thread.rootTs) return { channel: thread.channel, ts: thread.rootTs };
  const { channel, ts } = await postOnce(
    deps,
    deps.store.rootSlot(thread.id),
    {
      channel: thread.channel,
      ...diagnosing,
      marker: { eventType: 'portbot_incident', payload: { incident_id: thread.id } },
    },
    thread.openedAt - SEARCH_SLACK_MS,
  );
  return { channel, ts };
}

/** Posts a reply in a record's thread once (marker: record id + reply id). */
export async function postReplyOnce(
  deps: PostOnceDeps,
  slot: PostSlot,
  thread: { id: string; openedAt: number },
  root: { channel: string; ts: string },
  replyId: string,
  message: SlackMessage,
): Promise<void> {
  await postOnce(
    deps,
    slot,
    {
      channel: root.channel,
      threadTs: root.ts,
      ...message,
      marker: {
        eventType: 'portbot_reply',
        payload: { incident_id: thread.id, reply_id: replyId },
      },
    },
    thread.openedAt - SEARCH_SLACK_MS,
  );
}
