import type { HostConfig, Inventory } from '../src/domain/HostConfig';
import type { Runbook } from '../src/domain/Runbook';
import type { RemoteCpuMeter } from './RemoteCpuMeter';
import type { Summary } from './stats';

export interface BenchContext {
  inventory: Inventory;
  runbooks: ReadonlyMap<string, Runbook>;
  /** bench-01..bench-50, in order. */
  hosts: readonly HostConfig[];
  port: number;
  /** Watches bench-01 only (single-host phases). */
  meterOne: RemoteCpuMeter;
  /** Watches every bench host (fan-out phases). */
  meterAll: RemoteCpuMeter;
  /** Concurrency for portbot's fan-out; parallel-ssh gets the same -p. */
  concurrency: number;
}

export interface PhaseResult {
  name: string;
  runs: number;
  /** Diagnoses (host visits) in the measured runs. */
  diagnoses: number;
  /** Per run: one diagnosis (single host) or one whole fan-out. */
  wallMs: Summary;
  clientCpuMsPerHost: number;
  remoteCpuMsPerDiagnosis: number;
  /** SSH connections opened during the measured runs, when the runner can tell. */
  connects?: number;
  verdicts: Record<string, number>;
}

/** Counts verdicts; a host that could not be diagnosed means nothing was measured. */
export function tallyVerdicts(
  into: Record<string, number>,
  verdicts: readonly { host: string; verdict: string; summary: string }[],
): void {
  for (const d of verdicts) {
    into[d.verdict] = (into[d.verdict] ?? 0) + 1;
    if (d.verdict === 'unreachable')
      throw new Error(`${d.host} could not be diagnosed: ${d.summary}`);
  }
}

export function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}
