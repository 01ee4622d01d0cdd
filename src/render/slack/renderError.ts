import type { Block, SlackMessage } from './blockKitTypes';
import { context, section } from './blocks';
import { escapeMrkdwn } from './escapeMrkdwn';
import { fallbackText } from './fallbackText';

/**
 * An ephemeral error for the person who typed the command. Both strings may quote what they
 * typed, so both are escaped; backticks still format.
 */
export function renderError(message: string, hint?: string): SlackMessage {
  const blocks: Block[] = [section(`⚠️ ${escapeMrkdwn(message)}`)];
  if (hint !== undefined && hint.trim() !== '') blocks.push(context(escapeMrkdwn(hint)));
  return { text: fallbackText(`⚠️ ${message}`), blocks };
}
