import type { Block } from '../render/slack/blockKitTypes';
import type { ModalView } from '../render/slack/modalTypes';

/**
 * Slack message metadata: portbot marks each message it must post exactly once, so a job that
 * takes over from a crashed one can find the message in the channel instead of posting again.
 */
export interface SlackMarker {
  eventType: string;
  payload: Record<string, string>;
}

export interface SlackPost {
  channel: string;
  text: string;
  blocks?: Block[];
  threadTs?: string;
  marker?: SlackMarker;
}

/**
 * The Slack calls the core needs; the WebClient adapter implements it (retries on 429 live
 * there). Throws on Slack errors.
 */
export interface SlackPoster {
  /**
   * `beforeSend` runs right before the request leaves (after any rate-limit wait); when it
   * throws, nothing is sent. postOnce uses it to re-check its claim at the last moment.
   */
  post(msg: SlackPost, beforeSend?: () => Promise<void>): Promise<{ channel: string; ts: string }>;
  /** `beforeSend` as for post: a job re-checks that it still owns its work before editing. */
  update(msg: SlackPost & { ts: string }, beforeSend?: () => Promise<void>): Promise<void>;
  postEphemeral(msg: SlackPost & { user: string }): Promise<void>;
  /** Removes a message portbot posted twice (the copy that lost the race to be recorded). */
  delete(msg: { channel: string; ts: string }): Promise<void>;
  /** views.open: the trigger id of the click is valid for 3 s. */
  openView(triggerId: string, view: ModalView): Promise<void>;
  /**
   * conversations.open with one user (scope `im:write`): the id of the bot's DM channel with
   * them, to post to. Opening again answers the same channel, so retrying it is harmless.
   */
  openDm(userId: string): Promise<string>;
}

export interface MarkerSearch {
  channel: string;
  /** Search the replies of this thread; without it, the channel's top level. */
  threadTs?: string;
  /** Messages older than this (ms since epoch) are not searched. */
  oldestMs: number;
  marker: SlackMarker;
}

/** Reads back what portbot posted: conversations.history / conversations.replies. */
export interface SlackHistory {
  /** The ts of the message carrying this marker, or null when there is none. */
  findMarked(search: MarkerSearch): Promise<string | null>;
}
