export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** Field 22: start time in clock ticks after boot. */
  startTicks: number;
}

/**
 * One /proc/PID/stat line. comm sits in parentheses and may itself contain spaces and ")",
 * so the fields are taken after the LAST ")".
 */
export function parseProcStat(line: string): ProcStat | null {
  const open = line.indexOf(' (');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(line.slice(0, open));
  const fields = line
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // fields[0] is field 3 (state), so field N is fields[N - 3].
  const state = fields[0];
  const ppid = Number(fields[1]);
  const startTicks = Number(fields[19]);
  if (!Number.isInteger(pid) || state === undefined || !Number.isInteger(ppid)) return null;
  if (!Number.isFinite(startTicks)) return null;
  return { pid, comm: line.slice(open + 2, close), state, ppid, startTicks };
}
