import { sectionMarker } from './catalogue';

export interface Section {
  name: string;
  output: string;
  /** From the end marker; null when the output was cut before the section ended. */
  exitCode: number | null;
}

/**
 * Split the batch output into its sections. Only lines that carry this call's random nonce
 * count as markers, so text inside a section (a log line, a cmdline) cannot open or close one.
 */
export function splitSections(stdout: string, nonce: string): Map<string, Section> {
  const marker = sectionMarker(nonce);
  const begin = new RegExp(`^${marker} ([A-Za-z0-9._-]+)$`);
  const sections = new Map<string, Section>();
  let name: string | null = null;
  let lines: string[] = [];
  for (const line of stdout.split('\n')) {
    if (name === null) {
      const m = begin.exec(line);
      if (m?.[1] !== undefined) {
        name = m[1];
        lines = [];
      }
      continue;
    }
    const end = line.startsWith(`${marker} /${name} `)
      ? /^(-?\d+)$/.exec(line.slice(marker.length + name.length + 3))
      : null;
    if (end) {
      // The end marker starts with its own newline: drop the empty line it leaves.
      if (lines[lines.length - 1] === '') lines.pop();
      sections.set(name, { name, output: lines.join('\n'), exitCode: Number(end[1]) });
      name = null;
    } else {
      lines.push(line);
    }
  }
  if (name !== null) sections.set(name, { name, output: lines.join('\n'), exitCode: null });
  return sections;
}
