import { readFileSync } from 'node:fs';
import { clockTicksPerSecond, readProcTimes } from '../procCpu';
import type { RemoteCpuMeter } from '../RemoteCpuMeter';
import { round } from '../stats';

/** CPU each watched thing used over a window, as % of one core (200 % = both cores here). */
export type CpuShares = Record<string, number>;

/** Cumulative CPU milliseconds so far; undefined when it cannot be read (process gone). */
type Sampler = () => number | undefined;

const HZ = clockTicksPerSecond();

export function processCpu(pid: number | undefined): Sampler {
  return () => {
    const t = pid === undefined ? undefined : readProcTimes(pid);
    return t ? (t.self * 1000) / HZ : undefined;
  };
}

export function benchCpu(): Sampler {
  return () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
}

const STAT_FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'];

function statTicks(): Record<string, number> {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  return Object.fromEntries(STAT_FIELDS.map((k, i) => [k, f[i] ?? 0]));
}

/** Every core's busy time (/proc/stat: user, nice, system, irq, softirq), ~200 % when saturated. */
export function machineCpu(): Sampler {
  return () => {
    const t = statTicks();
    const busy = ['user', 'nice', 'system', 'irq', 'softirq'].reduce((s, k) => s + (t[k] ?? 0), 0);
    return (busy * 1000) / HZ;
  };
}

/**
 * One /proc/stat field, e.g. softirq (loopback TCP is largely handled there, charged to no
 * process) or steal (a hypervisor taking the vCPU away, which no process here can use).
 */
export function machineField(field: 'softirq' | 'steal'): Sampler {
  return () => ((statTicks()[field] ?? 0) * 1000) / HZ;
}

/** The lab hosts' sshds and probe commands: on this machine they share the cores with portbot. */
export function labCpu(meter: RemoteCpuMeter): Sampler {
  return () => meter.snapshot().cpuMs;
}

/**
 * Which process saturates first under the storm: the bench itself (load generator and Slack
 * stand-in), serve, worker, Redis or the lab hosts, all sharing the machine's cores.
 */
export class CpuWatch {
  private startedAt = 0;
  private before = new Map<string, number>();

  constructor(private readonly samplers: Record<string, Sampler>) {}

  start(): void {
    this.before = this.sample();
    this.startedAt = performance.now();
  }

  stop(): CpuShares {
    const wall = performance.now() - this.startedAt;
    const after = this.sample();
    const out: CpuShares = {};
    for (const [name, ms] of after) {
      const was = this.before.get(name);
      if (was !== undefined && wall > 0) out[name] = round(((ms - was) / wall) * 100);
    }
    return out;
  }

  private sample(): Map<string, number> {
    const m = new Map<string, number>();
    for (const [name, sampler] of Object.entries(this.samplers)) {
      const v = sampler();
      if (v !== undefined) m.set(name, v);
    }
    return m;
  }
}
