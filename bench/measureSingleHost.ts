import { SshPool } from '../src/ssh/SshPool';
import { diagnoseHost } from '../src/usecases/diagnoseHost';
import { cpuMs, tallyVerdicts, type BenchContext, type PhaseResult } from './BenchContext';
import { settle } from './settle';
import { round, summarize } from './stats';

const WARMUP_RUNS = 3;

/**
 * What one run does: a full diagnosis, or `exec true` alone, which isolates the transport
 * (connect or channel round trip) from the probe script's remote cost.
 */
export type SingleHostWork = 'diagnose' | 'exec-true';

/**
 * One host, one diagnosis per run. Cold: a fresh SshPool per run (known_hosts read, TCP
 * connect, key exchange, auth, exec), closed after. Warm: one pool whose connection is reused,
 * so a run is the exec alone plus parsing and rules.
 */
export async function measureSingleHost(
  ctx: BenchContext,
  mode: 'cold' | 'warm',
  runs: number,
  work: SingleHostWork = 'diagnose',
): Promise<PhaseResult> {
  const host = ctx.hosts[0];
  if (host === undefined) throw new Error('no bench host');
  let verdicts: Record<string, number> = {};
  let shared = mode === 'warm' ? new SshPool({ maxConcurrency: 1 }) : undefined;
  const once = async (): Promise<number> => {
    const pool = shared ?? new SshPool({ maxConcurrency: 1 });
    const deps = { runner: pool, runbooks: ctx.runbooks, now: () => performance.now() };
    const t0 = performance.now();
    if (work === 'diagnose') {
      tallyVerdicts(verdicts, [await diagnoseHost(deps, ctx.inventory, host, ctx.port)]);
    } else {
      const r = await pool.exec(host, 'true');
      if (r.code !== 0) throw new Error(`'true' exited ${r.code ?? r.signal} on ${host.name}`);
    }
    const wall = performance.now() - t0;
    if (!shared) await pool.close();
    return wall;
  };
  try {
    for (let i = 0; i < WARMUP_RUNS; i++) await once();
    verdicts = {};
    const connectsBefore = shared?.stats().connects ?? 0;
    const remoteBefore = await settle(ctx.meterOne);
    const walls: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < runs; i++) walls.push(await once());
    const clientMs = cpuMs(process.cpuUsage(cpu0));
    const remoteAfter = await settle(ctx.meterOne);
    return {
      name: `single host, ${mode}${work === 'exec-true' ? ', exec true only' : ''}`,
      runs,
      diagnoses: runs,
      wallMs: summarize(walls),
      clientCpuMsPerHost: round(clientMs / runs),
      remoteCpuMsPerDiagnosis: round((remoteAfter - remoteBefore) / runs),
      connects: shared ? shared.stats().connects - connectsBefore : runs,
      verdicts,
    };
  } finally {
    await shared?.close();
    shared = undefined;
  }
}
