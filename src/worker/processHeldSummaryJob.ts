import { PortbotError } from '../domain/PortbotError';
import type { HeldSummary, HeldSummaryKey, HeldSummaryStore } from '../heldAlerts/HeldSummary';
import { HELD_TARGETS_SHOWN, renderHeldSummary } from '../render/slack/renderHeldSummary';
import type { SlackMessage } from '../render/slack/blockKitTypes';
import { postOnce, type PostOnceDeps } from './postOnce';

export type HeldSummaryOutcome = 'posted' | 'updated' | 'current';

/** Recovery searches the channel from a minute before the summary's minute (clock skew). */
const SEARCH_SLACK_MS = 60_000;

/**
 * The summary message of one source and minute: posted once (postOnce, whatever crashes), then
 * updated in place when more alerts were held since it was rendered. Coalesced in the queue, so
 * a burst of held payloads costs one post and at most one update per coalescing window.
 */
export async function processHeldSummaryJob(
  deps: PostOnceDeps & { store: HeldSummaryStore },
  key: HeldSummaryKey,
): Promise<HeldSummaryOutcome> {
  let summary = await mustGet(deps.store, key);
  let message = summary.message;
  if (message === null) {
    const rendered = render(summary);
    const posted = await postOnce(
      deps,
      deps.store.summarySlot(key),
      {
        channel: summary.channel,
        ...rendered,
        marker: {
          eventType: 'portbot_held_summary',
          payload: { source: key.source, minute: String(key.minute) },
        },
      },
      key.minute * 60_000 - SEARCH_SLACK_MS,
    );
    if (posted.postedNow) {
      await deps.store.markShown(key, summary.count);
      return 'posted';
    }
    // Posted by a job that crashed before recording what it showed, or by one that ran
    // alongside: read again and bring the message up to date.
    message = { channel: posted.channel, ts: posted.ts };
    summary = await mustGet(deps.store, key);
  }
  if (summary.count <= summary.shownCount) return 'current';
  await deps.slack.update({ channel: message.channel, ts: message.ts, ...render(summary) });
  await deps.store.markShown(key, summary.count);
  return 'updated';
}

async function mustGet(store: HeldSummaryStore, key: HeldSummaryKey): Promise<HeldSummary> {
  const summary = await store.get(key, HELD_TARGETS_SHOWN);
  if (summary !== null) return summary;
  throw new PortbotError('INTERNAL', `held summary of ${key.source} minute ${key.minute} expired`, {
    userFacing: false,
  });
}

function render(s: HeldSummary): SlackMessage {
  return renderHeldSummary({
    source: s.key.source,
    minuteStartMs: s.key.minute * 60_000,
    count: s.count,
    targets: s.targets,
    distinctTargets: s.distinctTargets,
    targetsComplete: s.targetsComplete,
    perMinute: s.perMinute,
  });
}
