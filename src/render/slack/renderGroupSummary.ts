import type { Diagnosis } from '../../domain/diagnosis';
import type { Verdict } from '../../domain/verdict';
import type { Block, SlackMessage } from './blockKitTypes';
import { context, header, section } from './blocks';
import { escapeMrkdwn, inlineCode } from './escapeMrkdwn';
import { fallbackText } from './fallbackText';
import { packLines } from './packLines';
import { RENDER_BUDGET, SLACK_LIMITS } from './slackLimits';
import { clip, formatCount } from './truncateText';
import { FAMILY_ORDER, verdictStyle } from './verdictStyle';

export interface GroupSummaryContext {
  /** What was checked, e.g. "group:edge" or "all". */
  scope?: string;
  /** The port, needed when no host answered. */
  port?: number;
}

const SUMMARY_CHARS = 140;
const LINES_BUDGET = 6500;
const HEALTHY_CHARS = 1500;

/**
 * `check group:` / `check all`: a tally per verdict, one line per host with a problem (worst
 * first), and healthy hosts by name only, all cut to fit one message even for 500 hosts.
 */
export function renderGroupSummary(
  diagnoses: readonly Diagnosis[],
  ctx: GroupSummaryContext = {},
): SlackMessage {
  const port = ctx.port ?? diagnoses[0]?.port;
  const scope = ctx.scope ?? 'hosts';
  const target = `${scope}${port !== undefined ? ` port ${port}` : ''}`;
  const n = diagnoses.length;
  const blocks: Block[] = [header(`📋 ${target} — ${formatCount(n)} host${n === 1 ? '' : 's'}`)];
  if (n === 0) {
    blocks.push(section('_No host matched._'));
    return { text: fallbackText(`${target}: no host matched`), blocks };
  }
  const sorted = [...diagnoses].sort(byUrgency);
  blocks.push(section(tally(sorted)));

  const problems = sorted.filter((d) => d.verdict !== 'healthy');
  const packed = packLines(
    problems.map(problemLine),
    SLACK_LIMITS.sectionTextChars - 100,
    LINES_BUDGET,
  );
  const maxSections = RENDER_BUDGET.blocks - 6;
  const shown = packed.sections.slice(0, maxSections);
  for (const text of shown) blocks.push(section(text));
  const notListed = packed.dropped + countLines(packed.sections.slice(maxSections));
  if (notListed > 0)
    blocks.push(context(`… ${formatCount(notListed)} more hosts with a problem not listed`));

  const healthy = sorted.filter((d) => d.verdict === 'healthy');
  if (healthy.length > 0) {
    const names = healthy.map((d) => inlineCode(d.host, 60)).join(', ');
    const note = `${formatCount(healthy.length)} healthy in all`;
    blocks.push(
      section(`🟢 *Healthy* (${formatCount(healthy.length)}): ${names}`, HEALTHY_CHARS, note),
    );
  }
  const detail = port !== undefined ? `/port check <host> ${port}` : '/port check <host> <port>';
  blocks.push(context(`Details per host: ${inlineCode(detail, 100)}`));
  const counts = `${formatCount(problems.length)} with a problem, ${formatCount(healthy.length)} healthy`;
  return { text: fallbackText(`📋 ${target}: ${formatCount(n)} hosts, ${counts}`), blocks };
}

function byUrgency(a: Diagnosis, b: Diagnosis): number {
  const fa = FAMILY_ORDER.indexOf(verdictStyle(a.verdict).family);
  const fb = FAMILY_ORDER.indexOf(verdictStyle(b.verdict).family);
  return fa - fb || a.verdict.localeCompare(b.verdict) || a.host.localeCompare(b.host);
}

function tally(sorted: readonly Diagnosis[]): string {
  const counts = new Map<Verdict, number>();
  for (const d of sorted) counts.set(d.verdict, (counts.get(d.verdict) ?? 0) + 1);
  const parts = [...counts].map(
    ([v, c]) => `${verdictStyle(v).emoji} ${escapeMrkdwn(v)} *${formatCount(c)}*`,
  );
  return parts.join(' · ');
}

function problemLine(d: Diagnosis): string {
  const clipped = clip(d.summary.replace(/\s*\n\s*/g, ' '), SUMMARY_CHARS);
  return `${verdictStyle(d.verdict).emoji} ${inlineCode(d.host, 60)} ${escapeMrkdwn(d.verdict)}: ${escapeMrkdwn(clipped)}`;
}

function countLines(sections: readonly string[]): number {
  return sections.reduce((sum, s) => sum + s.split('\n').length, 0);
}
