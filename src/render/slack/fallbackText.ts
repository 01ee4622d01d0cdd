import { escapeMrkdwn } from './escapeMrkdwn';
import { RENDER_BUDGET } from './slackLimits';
import { safeCut } from './truncateText';

/**
 * The message's `text`: what notifications and screen readers show. One escaped line, short,
 * because Slack parses it as mrkdwn too.
 */
export function fallbackText(raw: string): string {
  const max = RENDER_BUDGET.fallbackText;
  const line = escapeMrkdwn(raw.slice(0, max + 1).replace(/\s*\n\s*/g, ' '));
  return line.length > max ? `${safeCut(line, max - 1)}…` : line;
}
