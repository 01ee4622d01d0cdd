import { SshPool } from '../src/ssh/SshPool';
import { diagnoseMany } from '../src/usecases/diagnoseMany';
import { cpuMs, tallyVerdicts, type BenchContext, type PhaseResult } from './BenchContext';
import { settle } from './settle';
import { round, summarize } from './stats';

/**
 * `diagnose --all` in process: every bench host per run, at most ctx.concurrency at once (what
 * `portbot diagnose --all --concurrency N` does minus node's start-up). Cold: a fresh pool per
 * run, closed after; warm: one pool kept across runs after one unmeasured warm-up run.
 * beforeMeasured runs once the warm-up is over (e.g. to read the far relay's counters).
 */
export async function measureFanout(
  ctx: BenchContext,
  mode: 'cold' | 'warm',
  runs: number,
  beforeMeasured?: () => Promise<void>,
): Promise<PhaseResult> {
  let verdicts: Record<string, number> = {};
  const newPool = () => new SshPool({ maxConcurrency: ctx.concurrency });
  let shared = mode === 'warm' ? newPool() : undefined;
  let connects = 0;
  const once = async (): Promise<number> => {
    const pool = shared ?? newPool();
    const before = pool.stats().connects;
    const deps = { runner: pool, runbooks: ctx.runbooks, now: () => performance.now() };
    const t0 = performance.now();
    const results = await diagnoseMany(deps, ctx.inventory, ctx.hosts, ctx.port, ctx.concurrency);
    const wall = performance.now() - t0;
    connects += pool.stats().connects - before;
    if (!shared) await pool.close();
    tallyVerdicts(verdicts, results);
    return wall;
  };
  try {
    if (shared) await once();
    connects = 0;
    verdicts = {};
    const remoteBefore = await settle(ctx.meterAll);
    await beforeMeasured?.();
    const walls: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < runs; i++) walls.push(await once());
    const clientMs = cpuMs(process.cpuUsage(cpu0));
    const remoteAfter = await settle(ctx.meterAll);
    const diagnoses = runs * ctx.hosts.length;
    return {
      name: `${ctx.hosts.length} hosts, ${mode}`,
      runs,
      diagnoses,
      wallMs: summarize(walls),
      clientCpuMsPerHost: round(clientMs / diagnoses),
      remoteCpuMsPerDiagnosis: round((remoteAfter - remoteBefore) / diagnoses),
      connects,
      verdicts,
    };
  } finally {
    await shared?.close();
    shared = undefined;
  }
}
