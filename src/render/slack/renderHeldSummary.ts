import type { Block, SlackMessage } from './blockKitTypes';
import { context, section } from './blocks';
import { inlineCode } from './escapeMrkdwn';
import { fallbackText } from './fallbackText';
import { formatCount } from './truncateText';

export interface HeldSummaryInput {
  /** The alert source whose new incidents were capped (`alertmanager`, `grafana`, `generic`). */
  source: string;
  /** Start of the minute the alerts were held in, ms since epoch. */
  minuteStartMs: number;
  /** Alerts held back in that minute, every payload and every serve together. */
  count: number;
  /** The first distinct targets held, in the order they were held (more may be passed than shown). */
  targets: readonly { host: string; port: number }[];
  /** Distinct targets held; a floor when `targetsComplete` is false. */
  distinctTargets: number;
  /** False when more targets were held than were kept track of. */
  targetsComplete: boolean;
  /** PORTBOT_NEW_INCIDENTS_PER_MINUTE when the alerts were held. */
  perMinute: number;
}

/** Targets named in the message; the rest are counted. */
export const HELD_TARGETS_SHOWN = 10;

/**
 * The one channel message per source and minute that says alerts were held back by the
 * new-incident cap: how many, which targets (bounded), why, that they were audited, what to do.
 * It is updated in place while more are held in the same minute.
 */
export function renderHeldSummary(input: HeldSummaryInput): SlackMessage {
  const minute = new Date(input.minuteStartMs).toISOString().slice(0, 16).replace('T', ' ');
  const n = formatCount(input.count);
  const alerts = input.count === 1 ? 'alert' : 'alerts';
  const was = input.count === 1 ? 'was' : 'were';
  const source = inlineCode(input.source, 40);
  const blocks: Block[] = [
    section(
      `⏸️ *${n} ${alerts} from ${source} ${was} held back* in the minute from ${minute} UTC: ` +
        'no incident, diagnosis or thread was opened for them.',
    ),
    section(`*Held:* ${targetList(input)}`),
    section(
      `*Why:* at most ${formatCount(input.perMinute)} new incidents per minute per source ` +
        `(\`PORTBOT_NEW_INCIDENTS_PER_MINUTE\`, shared by every serve), and ${source} had ` +
        'opened them. Repeats of open incidents are never held. Every held alert is in the ' +
        'audit log (`alert.held`) and was answered `held` to its sender.',
    ),
    context(
      '*What to do:* if these are real, raise `PORTBOT_NEW_INCIDENTS_PER_MINUTE` and restart ' +
        'serve; or wait: an alert still firing when its sender repeats it opens its incident ' +
        `once the budget refills. ${inlineCode('/port check <host> <port>')} diagnoses one ` +
        'now. Alerts held later in this minute update this message.',
    ),
  ];
  return {
    text: fallbackText(
      `⏸️ ${n} ${alerts} from ${input.source} held back by the new-incident cap (${minute} UTC)`,
    ),
    blocks,
  };
}

function targetList(input: HeldSummaryInput): string {
  const shown = input.targets.slice(0, HELD_TARGETS_SHOWN);
  const names = shown.map((t) => inlineCode(`${t.host}:${t.port}`, 80)).join(', ');
  const rest = Math.max(0, input.distinctTargets - shown.length);
  if (rest === 0 && input.targetsComplete) return names;
  const more = input.targetsComplete
    ? `+${formatCount(rest)} more`
    : `+${formatCount(rest)} more, and others not kept track of`;
  return shown.length === 0 ? more : `${names} ${more}`;
}
