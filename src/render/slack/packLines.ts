import { safeCut } from './truncateText';

export interface PackedLines {
  /** Texts of at most `perSection` characters each, lines whole and in order. */
  sections: string[];
  /** Lines left out because the total budget ran out. */
  dropped: number;
}

/**
 * Pack lines into as few section texts as fit `perSection` each and `total` overall; a line
 * longer than `perSection` is cut with an ellipsis rather than dropped.
 */
export function packLines(
  lines: readonly string[],
  perSection: number,
  total: number,
): PackedLines {
  const sections: string[] = [];
  let current = '';
  let used = 0;
  let taken = 0;
  for (const raw of lines) {
    const line = raw.length > perSection ? `${safeCut(raw, perSection - 1)}…` : raw;
    const extra = current === '' ? line.length : line.length + 1;
    if (used + extra > total) break;
    if (current !== '' && current.length + extra > perSection) {
      sections.push(current);
      current = line;
      used += line.length;
    } else {
      current = current === '' ? line : `${current}\n${line}`;
      used += extra;
    }
    taken += 1;
  }
  if (current !== '') sections.push(current);
  return { sections, dropped: lines.length - taken };
}
