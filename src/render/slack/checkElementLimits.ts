import { isRecord, type LimitChecker } from './limitChecker';
import { SLACK_LIMITS } from './slackLimits';

/** A text object: plain_text or mrkdwn, non-empty, at most `max` characters (counted in the total). */
export function checkTextObject(
  c: LimitChecker,
  path: string,
  v: unknown,
  max: number,
  plainOnly = false,
): void {
  if (!isRecord(v)) return c.fail(path, 'must be an object');
  if (typeof v.text !== 'string') return c.fail(path, 'missing required field: text');
  const allowed = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (typeof v.type !== 'string' || !allowed.includes(v.type)) {
    return c.fail(`${path}.type`, `must be one of ${allowed.join(', ')}`);
  }
  if (v.text.length === 0) c.fail(`${path}.text`, 'must be more than 0 characters');
  c.maxLength(`${path}.text`, v.text, max);
  c.blockTextChars += c.count(v.text);
}

const BUTTON_STYLES = ['primary', 'danger'];

/** Buttons are the only interactive element portbot sends; others are only type-checked. */
export function checkElement(
  c: LimitChecker,
  path: string,
  v: unknown,
  actionIds: Set<string>,
): void {
  if (!isRecord(v) || typeof v.type !== 'string')
    return c.fail(path, 'missing required field: type');
  if (typeof v.action_id === 'string') {
    c.maxLength(`${path}.action_id`, v.action_id, SLACK_LIMITS.actionIdChars);
    if (actionIds.has(v.action_id))
      c.fail(`${path}.action_id`, `duplicate action_id ${v.action_id}`);
    actionIds.add(v.action_id);
  }
  if (v.type !== 'button') return;
  checkTextObject(c, `${path}.text`, v.text, SLACK_LIMITS.buttonTextChars, true);
  if (v.value !== undefined) {
    if (typeof v.value !== 'string') c.fail(`${path}.value`, 'must be a string');
    else c.maxLength(`${path}.value`, v.value, SLACK_LIMITS.buttonValueChars);
  }
  if (typeof v.url === 'string') c.maxLength(`${path}.url`, v.url, SLACK_LIMITS.buttonUrlChars);
  if (v.style !== undefined && (typeof v.style !== 'string' || !BUTTON_STYLES.includes(v.style))) {
    c.fail(`${path}.style`, 'must be one of primary, danger');
  }
  if (v.confirm !== undefined) checkConfirm(c, `${path}.confirm`, v.confirm);
}

function checkConfirm(c: LimitChecker, path: string, v: unknown): void {
  if (!isRecord(v)) return c.fail(path, 'must be an object');
  checkTextObject(c, `${path}.title`, v.title, SLACK_LIMITS.confirmTitleChars, true);
  checkTextObject(c, `${path}.text`, v.text, SLACK_LIMITS.confirmTextChars);
  checkTextObject(c, `${path}.confirm`, v.confirm, SLACK_LIMITS.confirmButtonChars, true);
  checkTextObject(c, `${path}.deny`, v.deny, SLACK_LIMITS.confirmButtonChars, true);
}
