import type { K8sProcess } from '../../domain/SweepProbe';

const COMMS: ReadonlySet<string> = new Set(['kubelet', 'kube-proxy', 'kube-apiserver']);

/** `NAME PID ARGV…` lines: the name pgrep -x matched, then what `pgrep -a` printed. */
export function parseK8sProcesses(output: string): K8sProcess[] {
  const out: K8sProcess[] = [];
  for (const line of output.split('\n')) {
    const m = /^(\S+) (\d+) (.*)$/.exec(line.trim());
    if (!m?.[1] || !m[2] || !COMMS.has(m[1])) continue;
    out.push({ pid: Number(m[2]), comm: m[1] as K8sProcess['comm'], cmdline: m[3] ?? '' });
  }
  return out;
}

/** `--service-node-port-range=A-B` (or `… A-B` as the next word) from kube-apiserver's argv. */
export function nodePortRangeOf(cmdline: string): { from: number; to: number } | null {
  const m = /--service-node-port-range(?:=|\s+)(\d{1,5})-(\d{1,5})(?:\s|$)/.exec(cmdline);
  if (!m) return null;
  const from = Number(m[1]);
  const to = Number(m[2]);
  return from >= 1 && to <= 65535 && from <= to ? { from, to } : null;
}
