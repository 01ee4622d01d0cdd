import type { Diagnosis, Evidence } from '../../domain/diagnosis';
import type { Block, SlackMessage } from './blockKitTypes';
import { context, section } from './blocks';
import { escapeCodeBlock, escapeMrkdwn, inlineCode } from './escapeMrkdwn';
import { fallbackText } from './fallbackText';
import { shareBudget } from './shareBudget';
import { RENDER_BUDGET, SLACK_LIMITS } from './slackLimits';
import { clip, formatCount, truncateText } from './truncateText';

export interface EvidenceReplyOptions {
  /** Where the untruncated output is, e.g. "full output in the attached file". */
  fullEvidenceHint?: string;
}

/** Room kept for the title, the closing note and the JSON around them. */
const RESERVED_CHARS = 800;
/** Below this an output is not worth showing cut: the note alone says where it is. */
const MIN_BODY_CHARS = 120;
/** A probe gets at least this much room, or it is left for the closing note. */
const MIN_SHARE_CHARS = 700;
const FENCE_OPEN = '\n```\n';
const FENCE_CLOSE = '\n```';

/**
 * The thread reply with the evidence: one section per probe, the command and its output in a
 * code block. Outputs share the message's text budget, so long ones are cut with a note and the
 * message stays within every Slack limit whatever the probes returned.
 */
export function renderEvidenceReply(d: Diagnosis, opts: EvidenceReplyOptions = {}): SlackMessage {
  const hint = opts.fullEvidenceHint ?? `full output: portbot diagnose ${d.host} ${d.port} --json`;
  const shown = d.evidence.slice(0, RENDER_BUDGET.blocks - 2);
  const title = `*Evidence* for ${inlineCode(`${d.host}:${d.port}`, 300)} (${escapeMrkdwn(d.verdict)}): ${d.evidence.length} probe${d.evidence.length === 1 ? '' : 's'}`;
  const blocks: Block[] = [section(title)];
  if (d.evidence.length === 0) blocks.push(section('_No evidence was recorded._'));

  const heads = shown.map(evidenceHead);
  const bodies = shown.map((e) => escapeCodeBlock(e.output.replace(/\n+$/, '')));
  const needs = shown.map(
    (_, i) =>
      (heads[i] ?? '').length + FENCE_OPEN.length + (bodies[i] ?? '').length + FENCE_CLOSE.length,
  );
  const budget = RENDER_BUDGET.messageBlocksText - RESERVED_CHARS;
  const shares = sharesForFirst(needs, budget);
  // Shares bound the outputs; the heads (commands) are bounded only per item, so stop adding
  // sections once the budget is spent rather than trust the arithmetic.
  let used = 0;
  let rendered = 0;
  for (let i = 0; i < shown.length; i += 1) {
    if ((shares[i] ?? 0) === 0) break;
    const text = evidenceText(heads[i] ?? '', bodies[i] ?? '', shares[i] ?? 0, escapeMrkdwn(hint));
    if (used + text.length > budget) break;
    used += text.length;
    rendered += 1;
    blocks.push(section(text));
  }

  const hidden = d.evidence.length - rendered;
  if (hidden > 0)
    blocks.push(context(`… ${formatCount(hidden)} more probes not shown; ${escapeMrkdwn(hint)}`));
  return {
    text: fallbackText(
      `Evidence for ${d.host}:${d.port} (${d.verdict}): ${d.evidence.length} probes`,
    ),
    blocks,
  };
}

function evidenceHead(e: Evidence): string {
  return `*${escapeMrkdwn(clip(e.probe, 80))}* ${inlineCode(`$ ${e.command}`, 200)}`;
}

/**
 * Shares for as many leading probes as can each get a useful excerpt (probes come in the order
 * the diagnosis found them relevant); the rest get 0 and are counted in the closing note.
 */
function sharesForFirst(needs: readonly number[], budget: number): number[] {
  for (let k = needs.length; k > 1; k -= 1) {
    const shares = shareBudget(needs.slice(0, k), budget, SLACK_LIMITS.sectionTextChars);
    const useful = shares.every((share, i) => share >= Math.min(needs[i] ?? 0, MIN_SHARE_CHARS));
    if (useful) return [...shares, ...needs.slice(k).map(() => 0)];
  }
  return [
    Math.min(needs[0] ?? 0, budget, SLACK_LIMITS.sectionTextChars),
    ...needs.slice(1).map(() => 0),
  ];
}

function evidenceText(head: string, body: string, share: number, hint: string): string {
  if (body.trim() === '') return `${head}\n_(no output)_`;
  const room = share - head.length - FENCE_OPEN.length - FENCE_CLOSE.length;
  if (room < body.length && room < MIN_BODY_CHARS)
    return truncateText(
      `${head}\n_output omitted (${formatCount(body.length)} chars); ${hint}_`,
      SLACK_LIMITS.sectionTextChars,
    );
  return `${head}${FENCE_OPEN}${truncateText(body, room, hint)}${FENCE_CLOSE}`;
}
