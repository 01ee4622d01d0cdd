import type { Log } from '../domain/Log';
import type { SlackMessage } from '../render/slack/blockKitTypes';
import type { SlackPoster } from '../slack/SlackPoster';

/** A record that owns one Slack thread: an incident or a fleet check. */
export interface ThreadRecord {
  id: string;
  channel: string;
  rootTs: string | null;
}

/** What ensureRoot needs from the IncidentStore or the FleetCheckStore. */
export interface RootStore {
  get(id: string): Promise<ThreadRecord | null>;
  setRoot(id: string, channel: string, ts: string): Promise<boolean>;
}

/** Posts the "diagnosing…" root once per thread (a retry finds it recorded) and returns it. */
export async function ensureRoot(
  deps: { store: RootStore; slack: SlackPoster; log: Log },
  thread: ThreadRecord,
  diagnosing: SlackMessage,
): Promise<{ channel: string; ts: string }> {
  if (thread.rootTs) return { channel: thread.channel, ts: thread.rootTs };
  const posted = await deps.slack.post({ channel: thread.channel, ...diagnosing });
  if (await deps.store.setRoot(thread.id, posted.channel, posted.ts)) return posted;
  // Another attempt got there first: use its root (ours is an orphan "diagnosing…" line).
  deps.log.warn({ threadId: thread.id }, 'root message raced; using the first one');
  const again = await deps.store.get(thread.id);
  return { channel: again?.channel ?? posted.channel, ts: again?.rootTs ?? posted.ts };
}
