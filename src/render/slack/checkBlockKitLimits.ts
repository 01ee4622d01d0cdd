import { checkElement, checkTextObject } from './checkElementLimits';
import {
  isRecord,
  LimitChecker,
  utf16Length,
  type CharCounter,
  type LimitViolation,
} from './limitChecker';
import { SLACK_LIMITS } from './slackLimits';

export type { CharCounter, LimitViolation, SlackLimitError } from './limitChecker';
export { codePointLength, utf16Length } from './limitChecker';

/**
 * Block types Slack accepts in messages. Unknown types are rejected as Slack does, so a typo in
 * a builder fails in tests rather than in production.
 */
const KNOWN_BLOCK_TYPES = new Set([
  'actions',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);

/**
 * Every Slack limit in slackLimits.ts that a message's blocks (and `text`) break, with the error
 * code Slack would answer. Pure and tolerant of any JSON, so the local Slack can run it on
 * what it receives (counting as Slack does); an empty list means Slack would accept the message
 * on size grounds.
 */
export function checkBlockKitLimits(
  blocks: unknown,
  text?: unknown,
  count: CharCounter = utf16Length,
): LimitViolation[] {
  const c = new LimitChecker(count);
  if (typeof text === 'string' && count(text) > SLACK_LIMITS.messageTextChars) {
    c.fail(
      'text',
      `must be less than ${SLACK_LIMITS.messageTextChars + 1} characters`,
      'msg_too_long',
    );
  }
  if (blocks === undefined) return c.violations;
  if (!Array.isArray(blocks)) {
    c.fail('blocks', 'must be an array', 'invalid_blocks_format');
    return c.violations;
  }
  c.maxItems('blocks', blocks, SLACK_LIMITS.blocksPerMessage, 0);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => checkBlock(c, `blocks[${i}]`, b, blockIds));
  if (c.blockTextChars > SLACK_LIMITS.messageBlocksTextChars) {
    c.fail(
      'blocks',
      `must be less than ${SLACK_LIMITS.messageBlocksTextChars + 1} characters of block text`,
      'msg_blocks_too_long',
    );
  }
  return c.violations;
}

function checkBlock(c: LimitChecker, path: string, b: unknown, blockIds: Set<string>): void {
  if (!isRecord(b) || typeof b.type !== 'string')
    return c.fail(path, 'missing required field: type');
  if (!KNOWN_BLOCK_TYPES.has(b.type)) return c.fail(`${path}.type`, `unsupported type: ${b.type}`);
  if (b.block_id !== undefined) {
    if (typeof b.block_id !== 'string') return c.fail(`${path}.block_id`, 'must be a string');
    const id = b.block_id;
    c.maxLength(`${path}.block_id`, id, SLACK_LIMITS.blockIdChars);
    if (blockIds.has(id)) c.fail(`${path}.block_id`, `duplicate block_id ${id}`);
    blockIds.add(id);
  }
  switch (b.type) {
    case 'header':
      return checkTextObject(c, `${path}.text`, b.text, SLACK_LIMITS.headerTextChars, true);
    case 'section':
      return checkSection(c, path, b);
    case 'context':
      return checkList(c, `${path}.elements`, b.elements, SLACK_LIMITS.contextElements, (p, e) => {
        if (isRecord(e) && e.type === 'image') return;
        checkTextObject(c, p, e, SLACK_LIMITS.contextElementChars);
      });
    case 'actions': {
      const ids = new Set<string>();
      return checkList(c, `${path}.elements`, b.elements, SLACK_LIMITS.actionsElements, (p, e) =>
        checkElement(c, p, e, ids),
      );
    }
    case 'markdown':
      if (typeof b.text !== 'string') return c.fail(path, 'missing required field: text');
      c.maxLength(`${path}.text`, b.text, SLACK_LIMITS.markdownBlockTextChars);
      c.blockTextChars += c.count(b.text);
      return;
    default:
      return; // divider needs nothing; other block types are outside what portbot renders
  }
}

function checkSection(c: LimitChecker, path: string, b: Record<string, unknown>): void {
  if (b.text === undefined && b.fields === undefined)
    return c.fail(path, 'must provide either text or fields');
  if (b.text !== undefined)
    checkTextObject(c, `${path}.text`, b.text, SLACK_LIMITS.sectionTextChars);
  if (b.fields !== undefined) {
    checkList(c, `${path}.fields`, b.fields, SLACK_LIMITS.sectionFields, (p, f) =>
      checkTextObject(c, p, f, SLACK_LIMITS.sectionFieldChars),
    );
  }
  if (b.accessory !== undefined) checkElement(c, `${path}.accessory`, b.accessory, new Set());
}

function checkList(
  c: LimitChecker,
  path: string,
  items: unknown,
  max: number,
  each: (path: string, item: unknown) => void,
): void {
  if (!Array.isArray(items)) return c.fail(path, 'must be an array');
  c.maxItems(path, items, max);
  items.forEach((item, i) => each(`${path}[${i}]`, item));
}
