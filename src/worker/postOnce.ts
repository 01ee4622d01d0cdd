import { randomUUID } from 'node:crypto';
import type { Log } from '../domain/Log';
import { PortbotError } from '../domain/PortbotError';
import { RetryLater, isRetryLater } from '../domain/RetryLater';
import type { ConfirmState, PostSlot } from '../domain/PostSlot';
import type { SlackHistory, SlackMarker, SlackPost, SlackPoster } from '../slack/SlackPoster';

/**
 * How long a claim keeps other jobs away from a post. It must outlast one post attempt (a rate
 * limiter wait of up to 10 s, then one request of SLACK_TIMEOUT_MS, never resent): a post that
 * timed out keeps the claim this long, so it has landed before the next claimer searches.
 */
export const POST_LEASE_MS = 30_000;

export interface PostOnceDeps {
  slack: SlackPoster;
  history: SlackHistory;
  log: Log;
}

/** The message on record; `postedNow` when this call posted it (so it shows exactly `msg`). */
export interface PostedOnce {
  channel: string;
  ts: string;
  postedNow: boolean;
}

/**
 * Posts a message exactly once whatever crashes: claim the slot, post with a metadata marker,
 * record the ts. A job that takes over a dead claim first searches Slack for the marker and
 * adopts what it finds; a job that meets a live claim waits (RetryLater), never posts.
 */
export async function postOnce(
  deps: PostOnceDeps,
  slot: PostSlot,
  msg: SlackPost & { marker: SlackMarker },
  searchFromMs: number,
): Promise<PostedOnce> {
  const token = randomUUID();
  const claim = await slot.claim(token, POST_LEASE_MS);
  if (claim.state === 'posted') return { channel: claim.channel, ts: claim.ts, postedNow: false };
  if (claim.state === 'gone')
    throw new PortbotError('INTERNAL', `thread of ${describe(msg.marker)} expired`, {
      userFacing: false,
    });
  if (claim.state === 'busy')
    throw new RetryLater(claim.retryInMs, `${describe(msg.marker)} is being posted elsewhere`);
  if (claim.state === 'recovering') {
    const found = await deps.history.findMarked({
      channel: msg.channel,
      ...(msg.threadTs ? { threadTs: msg.threadTs } : {}),
      oldestMs: searchFromMs,
      marker: msg.marker,
    });
    if (found !== null) {
      deps.log.warn({ marker: msg.marker.payload, ts: found }, 'adopted message of a dead claim');
      return { ...(await slot.record(msg.channel, found)), postedNow: false };
    }
  }
  let posted: { channel: string; ts: string };
  let lost: ConfirmState | null = null;
  // The claim is checked (and renewed) at the last moment before the request leaves: a process
  // paused past its lease (SIGSTOP, a long GC or VM freeze) must not post what another job owns.
  const confirmClaim = async (): Promise<void> => {
    const now = await slot.confirm(token, POST_LEASE_MS);
    if (now.state === 'held') return;
    lost = now;
    throw new RetryLater(1000, `${describe(msg.marker)}: claim lost before posting`);
  };
  try {
    posted = await deps.slack.post(msg, confirmClaim);
  } catch (err) {
    const gone: ConfirmState | null = lost;
    if (gone !== null) return claimLost(deps.log, msg.marker, gone);
    // A refusal (rate limit, Slack error answer) surely posted nothing; a timeout may have.
    const surely = isRetryLater(err) || (err instanceof PortbotError && err.code === 'SLACK_API');
    await slot.abandon(token, surely ? 'surely-not-posted' : 'maybe-posted');
    throw err;
  }
  const kept = await slot.record(posted.channel, posted.ts);
  if (kept.ts !== posted.ts) {
    // Last line of defence: our lease ran out between the confirm and Slack's answer (a pause of
    // the process in that window) and another job's message was recorded: ours is the duplicate.
    deps.log.warn(
      { marker: msg.marker.payload, ts: posted.ts, kept: kept.ts },
      'posted past an expired lease; deleting the duplicate',
    );
    await deps.slack.delete(posted);
  }
  return { ...kept, postedNow: kept.ts === posted.ts };
}

/** Nothing was sent: adopt the message another job recorded, or leave it to the claim's owner. */
function claimLost(log: Log, marker: SlackMarker, found: ConfirmState): PostedOnce {
  if (found.state === 'posted') {
    log.warn({ marker: marker.payload, ts: found.ts }, 'claim lost before posting; adopted');
    return { channel: found.channel, ts: found.ts, postedNow: false };
  }
  log.warn({ marker: marker.payload }, 'claim lost before posting; left to its new owner');
  throw new RetryLater(1000, `${describe(marker)} is being posted elsewhere`);
}

function describe(marker: SlackMarker): string {
  return `${marker.eventType} ${Object.values(marker.payload).join('/')}`;
}
