/** Slack's error codes for payloads over its limits (what chat.postMessage answers). */
export type SlackLimitError =
  'invalid_blocks' | 'invalid_blocks_format' | 'msg_blocks_too_long' | 'msg_too_long';

export interface LimitViolation {
  /** JSON path, e.g. `blocks[3].elements[0].value`. */
  path: string;
  /** In Slack's own wording (what it puts in `response_metadata.messages`). */
  problem: string;
  slackError: SlackLimitError;
}

/** How a text's length is counted against the limits. */
export type CharCounter = (s: string) => number;

/**
 * UTF-16 code units: never fewer than Slack's count, so what passes here passes Slack. The
 * default for portbot's own messages.
 */
export const utf16Length: CharCounter = (s) => s.length;

/** Characters (code points), as Slack counts them: 3000 emoji fit a 3000-character section. */
export const codePointLength: CharCounter = (s) => [...s].length;

/** Collects violations and the total block text while the block tree is walked. */
export class LimitChecker {
  readonly violations: LimitViolation[] = [];
  blockTextChars = 0;

  constructor(readonly count: CharCounter) {}

  fail(path: string, problem: string, slackError: SlackLimitError = 'invalid_blocks'): void {
    this.violations.push({ path, problem, slackError });
  }

  maxLength(path: string, value: string, max: number): void {
    if (this.count(value) > max) this.fail(path, `must be less than ${max + 1} characters`);
  }

  maxItems(path: string, items: readonly unknown[], max: number, min = 1): void {
    if (items.length > max) this.fail(path, `no more than ${max} items allowed`);
    if (items.length < min)
      this.fail(path, `must provide at least ${min} item${min > 1 ? 's' : ''}`);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
