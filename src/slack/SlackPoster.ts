import type { Block } from '../render/slack/blockKitTypes';
import type { ModalView } from '../render/slack/modalTypes';

export interface SlackPost {
  channel: string;
  text: string;
  blocks?: Block[];
  threadTs?: string;
}

/**
 * The Slack calls the core needs; the WebClient adapter implements it (retries on 429 live
 * there). Throws on Slack errors.
 */
export interface SlackPoster {
  post(msg: SlackPost): Promise<{ channel: string; ts: string }>;
  update(msg: SlackPost & { ts: string }): Promise<void>;
  postEphemeral(msg: SlackPost & { user: string }): Promise<void>;
  /** views.open: the trigger id of the click is valid for 3 s. */
  openView(triggerId: string, view: ModalView): Promise<void>;
}
