import type { RemediationPlan } from '../../remediation/RemediationPlan';
import { escapeCodeBlock } from './escapeMrkdwn';
import { truncateText } from './truncateText';

/** The plan's steps as one code block (host, kind, exact command), cut to fit a section. */
export function planStepLines(plan: RemediationPlan, max: number): string {
  const lines = plan.steps.map(
    (s, i) => `${i + 1}. ${s.host} ${s.kind}${s.mutating ? '' : ' (read-only)'}\n   $ ${s.command}`,
  );
  const fence = '```\n';
  const body = truncateText(
    escapeCodeBlock(lines.join('\n')),
    max - 2 * fence.length,
    'the full plan: portbot plan',
  );
  return `${fence}${body}\n\`\`\``;
}
