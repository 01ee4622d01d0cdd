import type { RiskDiff } from '../../sweep/diffRisks';
import {
  SWEEP_RISK_CODES,
  notFullySwept,
  type HostSweep,
  type SweepRiskCode,
} from '../../sweep/SweepRisk';
import type { Block, SlackMessage } from './blockKitTypes';
import { context, header, section } from './blocks';
import { escapeCodeBlock, escapeMrkdwn, inlineCode } from './escapeMrkdwn';
import { fallbackText } from './fallbackText';
import { RENDER_BUDGET, SLACK_LIMITS } from './slackLimits';
import { formatCount } from './truncateText';

export interface SweepDigestInput {
  /** What was swept: "all" or "group:<name>". */
  scope: string;
  sweeps: readonly HostSweep[];
  diff: RiskDiff;
  /** No earlier sweep of this scope: every risk is listed as new. */
  first: boolean;
  /** Slack user who ran `/port sweep`; null for the scheduled sweep. */
  requestedBy: string | null;
}

const TITLES: Record<SweepRiskCode, string> = {
  'port-in-ephemeral-range': '🎲 LB port inside the ephemeral range',
  'foreign-listener': '🚫 Another program listens on an LB port',
  'duplicate-listen': '♊ Address declared twice in the LB config',
  'socket-unit-overlap': '🧷 systemd socket unit on an LB port',
  'nodeport-range-overlap': '☸️ LB port inside the Kubernetes NodePort range',
  'conntrack-pressure': '📈 conntrack table above 80 %',
  'vip-split-brain': '🧠 VIP on more than one member (split brain)',
  'vip-not-held': '🕳️ VIP on no member',
};

const HOST_COL = 20;
const WHAT_COL = 48;
/** Table text shared by the risk tables, within the message budget. */
const TABLES_BUDGET = 7000;

function cell(text: string, width: number): string {
  const t = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return t.padEnd(width);
}

/** One table: host, port, severity, new/changed, what (the risk's subject). */
function table(rows: RiskDiff['fresh'], maxChars: number): string {
  const head = `${cell('host', HOST_COL)} ${cell('port', 5)} ${cell('sev', 6)} ${cell('', 7)} what`;
  const lines = [head];
  let used = head.length;
  let shown = 0;
  for (const r of rows) {
    const line = `${cell(r.host, HOST_COL)} ${cell(r.risk.port === null ? '-' : String(r.risk.port), 5)} ${cell(r.risk.severity, 6)} ${cell(r.change, 7)} ${cell(r.risk.subject, WHAT_COL).trimEnd()}`;
    if (used + line.length + 1 > maxChars - 60) break;
    lines.push(line);
    used += line.length + 1;
    shown += 1;
  }
  const more = rows.length - shown;
  return `\`\`\`\n${escapeCodeBlock(lines.join('\n'))}\n\`\`\`${more > 0 ? `\n… ${formatCount(more)} more not listed` : ''}`;
}

/**
 * The sweep digest: ONE message with a table per risk code (hosts and ports) of the risks that
 * are new or changed since the last sweep of this scope, and a tally of the rest.
 */
export function renderSweepDigest(input: SweepDigestInput): SlackMessage {
  const { diff, sweeps } = input;
  const fresh = diff.fresh.length;
  const failed = sweeps.filter((s) => s.failure !== null);
  const incomplete = sweeps.filter((s) => s.failure === null && notFullySwept(s));
  const title = `🔎 Port-conflict sweep of ${input.scope}: ${fresh === 0 ? 'no new risk' : `${formatCount(fresh)} ${input.first ? '' : 'new or changed '}risk${fresh === 1 ? '' : 's'}`}`;
  const blocks: Block[] = [header(title)];
  const tally = [
    `${formatCount(sweeps.length)} host${sweeps.length === 1 ? '' : 's'} swept`,
    `${formatCount(fresh)} ${input.first ? 'risks' : 'new or changed'}`,
    ...(input.first ? [] : [`${formatCount(diff.unchanged)} known, unchanged`]),
    ...(diff.resolved.length > 0 ? [`${formatCount(diff.resolved.length)} resolved`] : []),
    ...(failed.length > 0 ? [`${formatCount(failed.length)} not swept`] : []),
    ...(incomplete.length > 0 ? [`${formatCount(incomplete.length)} incomplete`] : []),
  ];
  blocks.push(section(tally.join(' · ')));
  const codes = SWEEP_RISK_CODES.filter((c) => diff.fresh.some((f) => f.risk.code === c));
  const perTable = Math.min(
    SLACK_LIMITS.sectionTextChars - 200,
    Math.floor(TABLES_BUDGET / Math.max(1, codes.length)),
  );
  for (const code of codes) {
    const rows = diff.fresh
      .filter((f) => f.risk.code === code)
      .sort((a, b) => a.host.localeCompare(b.host) || (a.risk.port ?? 0) - (b.risk.port ?? 0));
    blocks.push(
      section(
        `*${TITLES[code]}* ${inlineCode(code)} (${formatCount(rows.length)})\n${table(rows, perTable)}`,
      ),
    );
  }
  if (failed.length > 0) {
    const names = failed
      .slice(0, 20)
      .map((s) => `${inlineCode(s.host, 60)} (${escapeMrkdwn(s.failure?.code ?? '')})`);
    const rest = failed.length > 20 ? `, … ${formatCount(failed.length - 20)} more` : '';
    blocks.push(context(`⚠️ Not swept: ${names.join(', ')}${rest}`));
  }
  if (incomplete.length > 0) {
    const names = incomplete
      .slice(0, 20)
      .map(
        (s) =>
          `${inlineCode(s.host, 60)} (${escapeMrkdwn(s.unseen.find((u) => u.code.startsWith('lb-config'))?.code ?? '')})`,
      );
    const rest = incomplete.length > 20 ? `, … ${formatCount(incomplete.length - 20)} more` : '';
    blocks.push(
      context(`⚠️ LB config not read in full, ports unknown: ${names.join(', ')}${rest}`),
    );
  }
  const by =
    input.requestedBy === null ? 'scheduled sweep' : `requested by <@${input.requestedBy}>`;
  blocks.push(
    context(
      `${by} · details per risk: ${inlineCode(`portbot sweep ${input.scope === 'all' ? '--all' : `--group ${input.scope.slice('group:'.length)}`} --json`, 100)} · reserve LB ports: ${inlineCode('portbot guard sysctl', 40)}`,
    ),
  );
  return { text: fallbackText(title), blocks: blocks.slice(0, RENDER_BUDGET.blocks) };
}
