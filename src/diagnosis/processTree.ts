import type { ProcessInfo } from '../domain/ProbeResults';

/** Parent, grandparent, … as far as the probes recorded them (pid 1 included). */
export function ancestorsOf(
  pid: number,
  processes: Readonly<Record<number, ProcessInfo>>,
): ProcessInfo[] {
  const chain: ProcessInfo[] = [];
  const seen = new Set<number>([pid]);
  let current = processes[pid];
  while (current && current.ppid > 0 && !seen.has(current.ppid)) {
    seen.add(current.ppid);
    const parent = processes[current.ppid];
    if (!parent) break;
    chain.push(parent);
    current = parent;
  }
  return chain;
}

/** True when `pid` is `root` or one of its descendants (nginx workers of the master, …). */
export function isSelfOrDescendant(
  pid: number,
  root: number,
  processes: Readonly<Record<number, ProcessInfo>>,
): boolean {
  if (pid === root) return true;
  if (processes[pid]?.ppid === root) return true;
  return ancestorsOf(pid, processes).some((p) => p.pid === root);
}
