import type { Block, SlackMessage } from './blockKitTypes';
import { context, section } from './blocks';
import { escapeMrkdwn, inlineCode } from './escapeMrkdwn';
import { fallbackText } from './fallbackText';

export interface DiagnosingMessageInput {
  host: string;
  port: number;
  /** Slack user id of whoever ran the command (rendered as a mention only if it looks like one). */
  requestedBy?: string;
  source: 'command' | 'alert';
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;

/** The placeholder posted at once, then updated in place with the diagnosis. */
export function renderDiagnosingMessage(input: DiagnosingMessageInput): SlackMessage {
  const target = `${input.host}:${input.port}`;
  const blocks: Block[] = [section(`⏳ Diagnosing ${inlineCode(target, 300)}…`)];
  blocks.push(context(origin(input)));
  return { text: fallbackText(`⏳ diagnosing ${target}…`), blocks };
}

function origin(input: DiagnosingMessageInput): string {
  if (input.source === 'alert') return '🔔 opened by an alert; repeats of it update this message';
  if (input.requestedBy === undefined) return 'requested with /port';
  const who = SLACK_USER_ID.test(input.requestedBy)
    ? `<@${input.requestedBy}>`
    : escapeMrkdwn(input.requestedBy);
  return `requested by ${who} with /port`;
}
