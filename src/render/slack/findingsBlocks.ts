import type { Diagnosis } from '../../domain/diagnosis';
import type { Block } from './blockKitTypes';
import { section } from './blocks';
import { escapeMrkdwn, inlineCode } from './escapeMrkdwn';
import { clip } from './truncateText';

const FINDINGS_CHARS = 2000;
const DETAIL_CHARS = 600;

/** "Why": the findings beside the verdict, one bullet each; nothing when there are none. */
export function findingsBlocks(d: Diagnosis): Block[] {
  if (d.findings.length === 0) return [];
  const lines = d.findings.map((f) => {
    const clipped = clip(
      f.detail.slice(0, DETAIL_CHARS + 1).replace(/\s*\n\s*/g, ' ⏎ '),
      DETAIL_CHARS,
    );
    return `• ${inlineCode(f.code, 80)} ${escapeMrkdwn(clipped)}`;
  });
  return [section(`*Why*\n${lines.join('\n')}`, FINDINGS_CHARS, 'all findings: `--json`')];
}
