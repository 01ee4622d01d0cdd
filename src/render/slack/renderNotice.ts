import type { SlackMessage } from './blockKitTypes';
import { section } from './blocks';
import { escapeMrkdwn } from './escapeMrkdwn';
import { fallbackText } from './fallbackText';

/** A plain informational answer (e.g. `/port status`), escaped like every other value. */
export function renderNotice(message: string): SlackMessage {
  return { text: fallbackText(message), blocks: [section(escapeMrkdwn(message))] };
}
