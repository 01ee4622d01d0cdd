import { SshPool } from '../src/ssh/SshPool';
import { sweepHosts } from '../src/usecases/sweepHosts';
import type { BenchContext, PhaseResult } from './BenchContext';
import { cpuMs } from './BenchContext';
import { settle } from './settle';
import { round, summarize } from './stats';

/**
 * `portbot sweep --all` in process over the same hosts as the cold `diagnose --all` phase: a
 * fresh pool per run (each run connects to every host, as a scheduled sweep does), at most
 * ctx.concurrency at once. A host that could not be swept means nothing was measured.
 */
export async function measureSweep(ctx: BenchContext, runs: number): Promise<PhaseResult> {
  const risks: Record<string, number> = {};
  let connects = 0;
  const once = async (): Promise<number> => {
    const pool = new SshPool({ maxConcurrency: ctx.concurrency });
    try {
      const t0 = performance.now();
      const sweeps = await sweepHosts(
        { runner: pool, runbooks: ctx.runbooks },
        ctx.inventory,
        ctx.hosts,
        ctx.concurrency,
      );
      const wall = performance.now() - t0;
      connects += pool.stats().connects;
      for (const s of sweeps) {
        if (s.failure) throw new Error(`${s.host} could not be swept: ${s.failure.message}`);
        for (const r of s.risks) risks[r.code] = (risks[r.code] ?? 0) + 1;
      }
      return wall;
    } finally {
      await pool.close();
    }
  };
  const remoteBefore = await settle(ctx.meterAll);
  const walls: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) walls.push(await once());
  const clientMs = cpuMs(process.cpuUsage(cpu0));
  const remoteAfter = await settle(ctx.meterAll);
  const visits = runs * ctx.hosts.length;
  return {
    name: `${ctx.hosts.length} hosts sweep, cold`,
    runs,
    diagnoses: visits,
    wallMs: summarize(walls),
    clientCpuMsPerHost: round(clientMs / visits),
    remoteCpuMsPerDiagnosis: round((remoteAfter - remoteBefore) / visits),
    connects,
    // Bench hosts are clean nginx hosts: any risk here is itself worth reading in the results.
    verdicts: risks,
  };
}
