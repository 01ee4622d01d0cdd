const DELETED = ' (deleted)';

/** Output of `readlink /proc/PID/exe`; sudo warnings before it are ignored. */
export function parseExeLink(
  output: string,
  exitCode: number,
): { exe: string | null; deleted: boolean } {
  if (exitCode !== 0) return { exe: null, deleted: false };
  const line = output
    .split('\n')
    .filter((l) => l.startsWith('/'))
    .pop();
  if (line === undefined) return { exe: null, deleted: false };
  return line.endsWith(DELETED)
    ? { exe: line.slice(0, -DELETED.length), deleted: true }
    : { exe: line, deleted: false };
}
