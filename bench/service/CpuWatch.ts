import { clockTicksPerSecond, readProcTimes } from '../procCpu';
import { round } from '../stats';

/** CPU each named process used over a window, as % of one core (200 % = both cores here). */
export type CpuShares = Record<string, number>;

/**
 * Which process saturates first under the storm: the bench itself (load generator and Slack
 * stand-in), serve, worker or Redis, all sharing the machine's cores.
 */
export class CpuWatch {
  private readonly hz = clockTicksPerSecond();
  private startedAt = 0;
  private before = new Map<string, number>();

  constructor(private readonly pids: Record<string, number | undefined>) {}

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
    const self = process.cpuUsage();
    m.set('bench', (self.user + self.system) / 1000);
    for (const [name, pid] of Object.entries(this.pids)) {
      const t = pid === undefined ? undefined : readProcTimes(pid);
      if (t) m.set(name, (t.self * 1000) / this.hz);
    }
    return m;
  }
}
