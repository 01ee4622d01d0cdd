import { safeCut } from './truncateText';

/**
 * Slack's three control characters in mrkdwn: `<` opens mentions (`<!channel>`, `<@U1>`) and
 * links, so any text that came from a host or an alert must have them escaped. Backtick runs are
 * broken up too (a zero-width space between two), or ``` would open or close a code block.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`(?=`)/g, '`\u200b');
}

/**
 * A host value as inline code: escaped, on one line, unable to close the code span, and at most
 * `max` characters inside the backticks (an ellipsis marks a cut).
 */
export function inlineCode(value: string, max = 300): string {
  // Escaping never shortens text, so max + 1 raw characters decide the cut as well as all would.
  const flat = value
    .slice(0, max + 1)
    .replace(/\s*\r?\n\s*/g, ' ⏎ ')
    .replace(/`/g, 'ˋ');
  const escaped = escapeMrkdwn(flat.length > 0 ? flat : ' ');
  const inner = escaped.length > max ? `${safeCut(escaped, max - 1)}…` : escaped;
  return `\`${inner}\``;
}

/** Escaped text for inside a ``` block: escapeMrkdwn already keeps ``` from ending it. */
export function escapeCodeBlock(text: string): string {
  return escapeMrkdwn(text);
}
