import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Kernel clock ticks per second (USER_HZ); /proc/PID/stat times are counted in these. */
export function clockTicksPerSecond(): number {
  const out = execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim();
  const hz = Number(out);
  if (!Number.isInteger(hz) || hz <= 0) throw new Error(`getconf CLK_TCK printed '${out}'`);
  return hz;
}

export interface ProcTimes {
  /** utime + stime: the process's own CPU. */
  self: number;
  /** cutime + cstime: CPU of children it has already waited for. */
  children: number;
}

/**
 * Fields 14-17 of /proc/PID/stat, in clock ticks; undefined when the process is gone. comm
 * (field 2) may hold spaces and parentheses, so fields are counted from the last ')'.
 */
export function readProcTimes(pid: number | 'self'): ProcTimes | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field N sits at rest[N - 3].
  const f = (n: number): number => Number(rest[n - 3] ?? 0);
  return { self: f(14) + f(15), children: f(16) + f(17) };
}

/** The namespace link of a process, e.g. 'pid:[4026532301]'; undefined when it is gone. */
export function namespaceOf(pid: number | 'self', kind: 'pid' | 'net'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${kind}`);
  } catch {
    return undefined;
  }
}

export function listPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

/** The link text a process in the named network namespace (`ip netns add NAME`) shows. */
export function netnsLink(netnsName: string): string {
  return `net:[${statSync(`/run/netns/${netnsName}`).ino}]`;
}
