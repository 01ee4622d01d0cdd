import { SLACK_LIMITS } from '../render/slack/slackLimits';

/**
 * Block types Slack accepts in messages. Unknown types are rejected like Slack does, so a typo in
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

type Problems = string[];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Slack counts characters, not UTF-16 units or bytes. */
export function charCount(s: string): number {
  return [...s].length;
}

// Slack's wording, e.g. "must be less than 3001 characters [json-pointer:/blocks/0/text/text]".
function tooLong(max: number, pointer: string): string {
  return `must be less than ${max + 1} characters [json-pointer:${pointer}]`;
}

function checkMaxLen(p: Problems, value: unknown, max: number, pointer: string): void {
  if (typeof value === 'string' && charCount(value) > max) p.push(tooLong(max, pointer));
}

function checkTextObject(
  p: Problems,
  obj: unknown,
  pointer: string,
  max: number,
  plainOnly = false,
): void {
  if (!isRecord(obj)) {
    p.push(`must be an object [json-pointer:${pointer}]`);
    return;
  }
  const allowed = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (typeof obj.type !== 'string' || !allowed.includes(obj.type)) {
    p.push(`must be one of ${allowed.join(', ')} [json-pointer:${pointer}/type]`);
  }
  if (typeof obj.text !== 'string') {
    p.push(`missing required field: text [json-pointer:${pointer}]`);
    return;
  }
  if (obj.text.length === 0)
    p.push(`must be more than 0 characters [json-pointer:${pointer}/text]`);
  checkMaxLen(p, obj.text, max, `${pointer}/text`);
}

function checkElement(p: Problems, el: unknown, pointer: string): void {
  if (!isRecord(el) || typeof el.type !== 'string') {
    p.push(`missing required field: type [json-pointer:${pointer}]`);
    return;
  }
  checkMaxLen(p, el.action_id, SLACK_LIMITS.actionIdChars, `${pointer}/action_id`);
  if (el.type !== 'button') return;
  checkTextObject(p, el.text, `${pointer}/text`, SLACK_LIMITS.buttonTextChars, true);
  checkMaxLen(p, el.value, SLACK_LIMITS.buttonValueChars, `${pointer}/value`);
  checkMaxLen(p, el.url, SLACK_LIMITS.buttonUrlChars, `${pointer}/url`);
  if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
    p.push(`must be one of primary, danger [json-pointer:${pointer}/style]`);
  }
}

function checkElementList(p: Problems, list: unknown, max: number, pointer: string): void {
  if (!Array.isArray(list) || list.length === 0) {
    p.push(`must provide at least 1 item [json-pointer:${pointer}]`);
    return;
  }
  if (list.length > max) p.push(`no more than ${max} items allowed [json-pointer:${pointer}]`);
  list.forEach((el, i) => checkElement(p, el, `${pointer}/${i}`));
}

function checkSection(p: Problems, b: Record<string, unknown>, at: string): void {
  if (b.text === undefined && b.fields === undefined) {
    p.push(`must provide either text or fields [json-pointer:${at}]`);
  }
  if (b.text !== undefined) checkTextObject(p, b.text, `${at}/text`, SLACK_LIMITS.sectionTextChars);
  if (b.fields !== undefined) {
    if (!Array.isArray(b.fields)) {
      p.push(`must be an array [json-pointer:${at}/fields]`);
    } else {
      if (b.fields.length > SLACK_LIMITS.sectionFields) {
        p.push(
          `no more than ${SLACK_LIMITS.sectionFields} items allowed [json-pointer:${at}/fields]`,
        );
      }
      b.fields.forEach((f, i) =>
        checkTextObject(p, f, `${at}/fields/${i}`, SLACK_LIMITS.sectionFieldChars),
      );
    }
  }
  if (b.accessory !== undefined) checkElement(p, b.accessory, `${at}/accessory`);
}

function checkBlock(p: Problems, b: unknown, at: string): void {
  if (!isRecord(b) || typeof b.type !== 'string') {
    p.push(`missing required field: type [json-pointer:${at}]`);
    return;
  }
  if (!KNOWN_BLOCK_TYPES.has(b.type)) {
    p.push(`unsupported type: ${b.type} [json-pointer:${at}/type]`);
    return;
  }
  checkMaxLen(p, b.block_id, SLACK_LIMITS.blockIdChars, `${at}/block_id`);
  switch (b.type) {
    case 'section':
      checkSection(p, b, at);
      break;
    case 'header':
      checkTextObject(p, b.text, `${at}/text`, SLACK_LIMITS.headerTextChars, true);
      break;
    case 'actions':
      checkElementList(p, b.elements, SLACK_LIMITS.actionsElements, `${at}/elements`);
      break;
    case 'context':
      if (!Array.isArray(b.elements) || b.elements.length === 0) {
        p.push(`must provide at least 1 item [json-pointer:${at}/elements]`);
      } else if (b.elements.length > SLACK_LIMITS.contextElements) {
        p.push(
          `no more than ${SLACK_LIMITS.contextElements} items allowed [json-pointer:${at}/elements]`,
        );
      }
      break;
    case 'markdown':
      if (typeof b.text !== 'string') p.push(`missing required field: text [json-pointer:${at}]`);
      checkMaxLen(p, b.text, SLACK_LIMITS.markdownBlockTextChars, `${at}/text`);
      break;
    default:
      break;
  }
}

/**
 * Checks a parsed `blocks` array against Block Kit's documented limits and returns Slack-style
 * problem strings (empty when valid).
 */
export function checkBlocks(blocks: unknown[]): string[] {
  const problems: Problems = [];
  if (blocks.length > SLACK_LIMITS.blocksPerMessage) {
    problems.push(
      `no more than ${SLACK_LIMITS.blocksPerMessage} items allowed [json-pointer:/blocks]`,
    );
  }
  blocks.forEach((b, i) => checkBlock(problems, b, `/blocks/${i}`));
  return problems;
}
