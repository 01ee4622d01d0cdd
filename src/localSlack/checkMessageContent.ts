import { checkBlockKitLimits, codePointLength } from '../render/slack/checkBlockKitLimits';
import type { LimitViolation } from '../render/slack/checkBlockKitLimits';
import { SLACK_LIMITS } from '../render/slack/slackLimits';
import type { Params } from './localSlackTypes';

export interface MessageContent {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

export interface SlackApiError {
  error: string;
  /** Slack's detail lines, returned as `errors` and `response_metadata.messages` ("[ERROR] ..."). */
  problems?: string[];
}

export type ContentCheck =
  { ok: true; content: MessageContent } | { ok: false; err: SlackApiError };

/** Form bodies carry JSON arrays as strings; JSON bodies may carry them as arrays. */
function parseJsonArray(value: unknown): unknown[] | 'invalid' | undefined {
  if (value === undefined || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return 'invalid';
    }
  }
  return Array.isArray(parsed) ? parsed : 'invalid';
}

/** `blocks[0].text.text` → `/blocks/0/text/text`, the pointer Slack names in its messages. */
function jsonPointer(path: string): string {
  return `/${path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .join('/')}`;
}

function slackProblem(v: LimitViolation): string {
  return `${v.problem} [json-pointer:${jsonPointer(v.path)}]`;
}

/**
 * Validates the content of a chat.postMessage / chat.update / chat.postEphemeral call the way
 * Slack does, in Slack's order of precedence: malformed blocks, invalid blocks, then sizes.
 */
export function checkMessageContent(params: Params): ContentCheck {
  const content: MessageContent = {};
  if (typeof params.text === 'string') content.text = params.text;
  else if (typeof params.text === 'number') content.text = String(params.text);

  const blocks = parseJsonArray(params.blocks);
  if (blocks === 'invalid') return { ok: false, err: { error: 'invalid_blocks_format' } };
  // The product's own checker, counting characters as Slack does.
  const violations = checkBlockKitLimits(blocks, content.text, codePointLength);
  const invalid = violations.filter((v) => v.slackError === 'invalid_blocks');
  if (invalid.length > 0) {
    return { ok: false, err: { error: 'invalid_blocks', problems: invalid.map(slackProblem) } };
  }
  if (blocks !== undefined) content.blocks = blocks;

  const attachments = parseJsonArray(params.attachments);
  if (attachments === 'invalid') return { ok: false, err: { error: 'invalid_attachments' } };
  if (attachments !== undefined) {
    if (attachments.length > SLACK_LIMITS.attachmentsPerMessage) {
      return { ok: false, err: { error: 'too_many_attachments' } };
    }
    content.attachments = attachments;
  }

  const tooLong = violations.find((v) => v.slackError !== 'invalid_blocks');
  if (tooLong) return { ok: false, err: { error: tooLong.slackError } };
  const hasText = content.text !== undefined && content.text.length > 0;
  if (!hasText && !content.blocks?.length && !content.attachments?.length) {
    return { ok: false, err: { error: 'no_text' } };
  }
  return { ok: true, content };
}
