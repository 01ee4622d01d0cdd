import type {
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  MrkdwnObject,
  PlainTextObject,
  SectionBlock,
} from './blockKitTypes';
import { SLACK_LIMITS } from './slackLimits';
import { safeCut, truncateText } from './truncateText';

/** Small constructors that clamp every text to its Slack limit, so no caller can overflow one. */

export function plainText(text: string, max: number): PlainTextObject {
  const clamped = text.length > max ? `${safeCut(text, max - 1)}…` : text;
  return { type: 'plain_text', text: clamped.length > 0 ? clamped : ' ', emoji: true };
}

/** mrkdwn that must already be escaped; verbatim so Slack adds no links or mentions of its own. */
export function mrkdwn(text: string, max: number, note?: string): MrkdwnObject {
  const clamped = truncateText(text, max, note);
  return { type: 'mrkdwn', text: clamped.length > 0 ? clamped : ' ', verbatim: true };
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plainText(text, SLACK_LIMITS.headerTextChars) };
}

/** `max` below Slack's limit keeps one part of a message from eating the whole text budget. */
export function section(
  text: string,
  max: number = SLACK_LIMITS.sectionTextChars,
  note?: string,
): SectionBlock {
  return {
    type: 'section',
    text: mrkdwn(text, Math.min(max, SLACK_LIMITS.sectionTextChars), note),
  };
}

/** A two-column section; fields beyond Slack's 10 are dropped (callers pass fewer). */
export function fieldsSection(fields: readonly string[]): SectionBlock {
  return {
    type: 'section',
    fields: fields
      .slice(0, SLACK_LIMITS.sectionFields)
      .map((f) => mrkdwn(f, SLACK_LIMITS.sectionFieldChars)),
  };
}

export function context(...elements: string[]): ContextBlock {
  return {
    type: 'context',
    elements: elements
      .slice(0, SLACK_LIMITS.contextElements)
      .map((e) => mrkdwn(e, SLACK_LIMITS.contextElementChars)),
  };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}
