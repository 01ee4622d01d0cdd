import type { Section } from './splitSections';

/** sudo's own complaints ("sudo: unable to resolve host …", "sudo: a password is required"). */
const SUDO_LINE = /^sudo: /;

export function withoutSudoNoise(text: string): string {
  return text
    .split('\n')
    .filter((l) => !SUDO_LINE.test(l))
    .join('\n');
}

export function sudoDenied(section: Section | undefined): boolean {
  return (
    section !== undefined &&
    section.exitCode !== 0 &&
    /^sudo: (a password is required|a terminal is required|.*not allowed)/m.test(section.output)
  );
}

export function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').slice(0, 300);
}

export function keyValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return out;
}

export const EVIDENCE_CHARS = 4096;

/** Evidence keeps the head of a section, but the tail of a log (the newest lines matter). */
export function capEvidence(name: string, output: string, exitCode: number | null): string {
  let text = output.replace(/\0/g, ' ');
  if (text.length > EVIDENCE_CHARS) {
    text = name.startsWith('log.')
      ? `…${text.slice(-EVIDENCE_CHARS)}`
      : `${text.slice(0, EVIDENCE_CHARS)}…`;
  }
  if (exitCode !== 0) text += `${text === '' ? '' : '\n'}[exit ${exitCode ?? 'unknown'}]`;
  return text;
}
