/** Slack's error codes for payloads over its limits (what chat.postMessage answers). */
export type SlackLimitError =
  'invalid_blocks' | 'invalid_blocks_format' | 'msg_blocks_too_long' | 'msg_too_long';

export interface LimitViolation {
  /** JSON path, e.g. `blocks[3].elements[0].value`. */
  path: string;
  problem: string;
  slackError: SlackLimitError;
}

/** Collects violations and the total block text while the block tree is walked. */
export class LimitChecker {
  readonly violations: LimitViolation[] = [];
  blockTextChars = 0;

  fail(path: string, problem: string, slackError: SlackLimitError = 'invalid_blocks'): void {
    this.violations.push({ path, problem, slackError });
  }

  maxLength(path: string, value: string, max: number): void {
    if (value.length > max) this.fail(path, `${value.length} characters, more than ${max}`);
  }

  maxItems(path: string, items: readonly unknown[], max: number, min = 1): void {
    if (items.length > max) this.fail(path, `${items.length} items, more than ${max}`);
    if (items.length < min) this.fail(path, `${items.length} items, fewer than ${min}`);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
