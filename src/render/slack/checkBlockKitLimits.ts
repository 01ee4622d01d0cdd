import { checkElement, checkTextObject } from './checkElementLimits';
import { isRecord, LimitChecker, type LimitViolation } from './limitChecker';
import { SLACK_LIMITS } from './slackLimits';

export type { LimitViolation, SlackLimitError } from './limitChecker';

/**
 * Every Slack limit in slackLimits.ts that a message's blocks (and `text`) break, with the error
 * code Slack would answer. Pure and tolerant of any JSON, so the Slack stand-in can run it on
 * what it receives; an empty list means Slack would accept the message on size grounds.
 */
export function checkBlockKitLimits(blocks: unknown, text?: unknown): LimitViolation[] {
  const c = new LimitChecker();
  if (typeof text === 'string') {
    if (text.length > SLACK_LIMITS.messageTextChars) {
      c.fail(
        'text',
        `${text.length} characters, more than ${SLACK_LIMITS.messageTextChars}`,
        'msg_too_long',
      );
    }
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
      `${c.blockTextChars} characters of block text, more than ${SLACK_LIMITS.messageBlocksTextChars}`,
      'msg_blocks_too_long',
    );
  }
  return c.violations;
}

function checkBlock(c: LimitChecker, path: string, b: unknown, blockIds: Set<string>): void {
  if (!isRecord(b) || typeof b.type !== 'string') return c.fail(path, 'block without a type');
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
    default:
      return; // divider needs nothing; other block types are outside what portbot renders
  }
}

function checkSection(c: LimitChecker, path: string, b: Record<string, unknown>): void {
  if (b.text === undefined && b.fields === undefined)
    return c.fail(path, 'section needs text or fields');
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
