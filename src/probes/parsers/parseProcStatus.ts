/** Real uid from /proc/PID/status (the first number on the "Uid:" line); null if absent. */
export function parseProcStatusUid(text: string): number | null {
  const m = /^Uid:\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : null;
}
