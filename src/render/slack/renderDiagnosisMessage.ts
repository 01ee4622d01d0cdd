import type { Diagnosis } from '../../domain/diagnosis';
import { actionButtons } from './actionButtons';
import { actionListBlocks } from './actionListBlocks';
import type { Block, SlackMessage } from './blockKitTypes';
import { context, divider, header, section } from './blocks';
import { escapeMrkdwn, inlineCode } from './escapeMrkdwn';
import { fallbackText } from './fallbackText';
import { findingsBlocks } from './findingsBlocks';
import { lbHaBlocks } from './lbHaBlocks';
import { occupantBlocks } from './occupantBlocks';
import { formatCount } from './truncateText';
import { verdictStyle } from './verdictStyle';

/**
 * What the message belongs to. An incident's root offers its remediation buttons; a host reply in
 * a fleet check's thread only reports (a fleet check is not an incident, nothing to act on).
 */
export type DiagnosisSubject =
  { incidentId: string; fleetCheckId?: never } | { fleetCheckId: string; incidentId?: never };

export type DiagnosisMessageContext = DiagnosisSubject & {
  /** How many times the alert fired in this incident; shown from 2 on. */
  alertCount?: number;
  /** ISO time the alert resolved; turns the message into a resolved banner. */
  resolvedAt?: string;
  /** e.g. "12m 3s", how long the incident lasted (the caller knows when it opened). */
  durationText?: string;
};

const SUMMARY_CHARS = 1000;

/**
 * The incident's root message, updated in place: verdict and host:port, who holds the port, why,
 * HA role, what to do, and buttons only for actions portbot could carry out after approval.
 * `unreachable` renders through here too: no holder section, the SSH failure as the finding.
 */
export function renderDiagnosisMessage(d: Diagnosis, ctx: DiagnosisMessageContext): SlackMessage {
  const style = verdictStyle(d.verdict);
  const blocks: Block[] = [header(`${style.emoji} ${style.label} — ${d.host}:${d.port}`)];
  if (ctx.resolvedAt !== undefined) blocks.push(section(resolvedBanner(ctx)));
  if (ctx.alertCount !== undefined && ctx.alertCount > 1) {
    blocks.push(context(`🔁 alert fired ${formatCount(ctx.alertCount)} times`));
  }
  blocks.push(section(escapeMrkdwn(d.summary), SUMMARY_CHARS, 'full summary: `--json`'));
  if (d.verdict !== 'unreachable') blocks.push(...occupantBlocks(d));
  blocks.push(...lbHaBlocks(d), ...findingsBlocks(d), divider(), ...actionListBlocks(d));
  // Once resolved there is nothing left to press.
  if (ctx.resolvedAt === undefined && ctx.incidentId !== undefined) {
    blocks.push(...actionButtons(d, ctx.incidentId));
  }
  const subject =
    ctx.incidentId !== undefined
      ? `incident ${inlineCode(ctx.incidentId, 100)} · evidence in the thread`
      : `fleet check ${inlineCode(ctx.fleetCheckId, 100)}`;
  blocks.push(
    context(
      `${escapeMrkdwn(d.verdict)} · diagnosed in ${formatCount(d.durationMs)} ms · ${subject}`,
    ),
  );
  const prefix = ctx.resolvedAt !== undefined ? '✅ resolved · ' : '';
  return {
    text: fallbackText(`${prefix}${style.emoji} ${d.host}:${d.port} ${d.verdict}: ${d.summary}`),
    blocks,
  };
}

function resolvedBanner(ctx: DiagnosisMessageContext): string {
  const after = ctx.durationText !== undefined ? ` after ${escapeMrkdwn(ctx.durationText)}` : '';
  return `✅ *Resolved*${after} (${escapeMrkdwn(ctx.resolvedAt ?? '')})`;
}
