import { clockTicksPerSecond, listPids, namespaceOf, netnsLink, readProcTimes } from './procCpu';

/*
 * Remote CPU, measured from the outside. Every lab host runs in its own PID namespace (sshd is
 * its PID 1), so "what a diagnosis cost the host" is the CPU of every process in that namespace:
 * the sshd listener, the per-connection sshd session processes and whatever shell, ss, cat, ...
 * the probe script starts.
 *
 * For each process in those namespaces we add utime+stime (its own CPU) and cutime+cstime (CPU
 * of children it has reaped). A child that exits is reaped by its parent (bash waits for ss;
 * the sshd session waits for bash; sshd, PID 1, waits for sessions and orphans), which moves its
 * whole total into the parent's cutime/cstime, so each tick is counted exactly once whether the
 * process is still alive, a zombie, or gone. The namespace's total only grows; the difference
 * between a sample after and before a phase, divided by the diagnoses in it, is the remote CPU
 * per diagnosis. Resolution is one clock tick (10 ms at USER_HZ=100), which is why phases are
 * measured over many diagnoses, never one.
 *
 * A host's PID namespace is found through its network namespace (/run/netns/pb-NAME): any
 * process in that netns whose PID namespace is not ours belongs to the host.
 */
export class RemoteCpuMeter {
  private readonly hz = clockTicksPerSecond();
  private readonly pidNamespaces: ReadonlySet<string>;

  private constructor(pidNamespaces: ReadonlySet<string>) {
    this.pidNamespaces = pidNamespaces;
  }

  /** netnsNames: the hosts to watch, by network namespace name. */
  static forNetns(netnsNames: readonly string[]): RemoteCpuMeter {
    const wanted = new Set(netnsNames.map(netnsLink));
    const ours = namespaceOf('self', 'pid');
    const found = new Map<string, string>();
    for (const pid of listPids()) {
      const net = namespaceOf(pid, 'net');
      if (net === undefined || !wanted.has(net)) continue;
      const pidNs = namespaceOf(pid, 'pid');
      if (pidNs !== undefined && pidNs !== ours) found.set(net, pidNs);
    }
    if (found.size !== wanted.size) {
      throw new Error(`found the PID namespace of ${found.size} of ${wanted.size} lab hosts`);
    }
    return new RemoteCpuMeter(new Set(found.values()));
  }

  get hostCount(): number {
    return this.pidNamespaces.size;
  }

  /** CPU milliseconds consumed so far by every process in the watched namespaces, and their count. */
  snapshot(): { cpuMs: number; processes: number } {
    let ticks = 0;
    let processes = 0;
    for (const pid of listPids()) {
      const ns = namespaceOf(pid, 'pid');
      if (ns === undefined || !this.pidNamespaces.has(ns)) continue;
      const t = readProcTimes(pid);
      if (!t) continue;
      ticks += t.self + t.children;
      processes += 1;
    }
    return { cpuMs: (ticks * 1000) / this.hz, processes };
  }
}
