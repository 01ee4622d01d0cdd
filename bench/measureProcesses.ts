import { PORTBOT_BIN } from '../test/support/portbotProcess';
import type { BenchContext } from './BenchContext';
import { tallyVerdicts } from './BenchContext';
import { clockTicksPerSecond, readProcTimes } from './procCpu';
import { runParallelSsh, type ParallelSshOptions } from './runParallelSsh';
import { settle } from './settle';
import { spawnCollect } from './spawnCollect';
import { round, summarize, type Summary } from './stats';

export interface ProcessPhaseResult {
  name: string;
  runs: number;
  diagnoses: number;
  wallMs: Summary;
  /** CPU of the child processes (node or python + every ssh client), per host. */
  clientCpuMsPerHost: number;
  remoteCpuMsPerDiagnosis: number;
  verdicts?: Record<string, number>;
}

/** CPU of our children that have been waited for (cutime + cstime), in ms; tick resolution. */
function childrenCpuMs(hz: number): number {
  return ((readProcTimes('self')?.children ?? 0) * 1000) / hz;
}

export interface MeasureRunsOptions {
  verdicts?: Record<string, number>;
  /**
   * Client CPU ticks that never reach our children's total (processes that detached, like
   * OpenSSH's ControlPersist masters), read before and after the measured runs.
   */
  detachedTicks?: () => number;
  /** Called after the unmeasured run, just before the measured ones (e.g. zero a counter). */
  beforeMeasured?: () => Promise<void>;
}

/** One unmeasured run (page cache, first logins, control connections), then `runs` timed. */
export async function measureRuns(
  ctx: BenchContext,
  name: string,
  runs: number,
  once: () => Promise<number>,
  o: MeasureRunsOptions = {},
): Promise<ProcessPhaseResult> {
  const hz = clockTicksPerSecond();
  const { verdicts, detachedTicks = () => 0, beforeMeasured } = o;
  await once(); // unmeasured: page cache, first logins (and OpenSSH's masters, when multiplexed)
  const remoteBefore = await settle(ctx.meterAll);
  await beforeMeasured?.();
  const cpuBefore = childrenCpuMs(hz);
  const detachedBefore = detachedTicks();
  const walls: number[] = [];
  for (let i = 0; i < runs; i++) walls.push(await once());
  const clientMs = childrenCpuMs(hz) - cpuBefore + ((detachedTicks() - detachedBefore) * 1000) / hz;
  const remoteAfter = await settle(ctx.meterAll);
  const diagnoses = runs * ctx.hosts.length;
  return {
    name,
    runs,
    diagnoses,
    wallMs: summarize(walls),
    clientCpuMsPerHost: round(clientMs / diagnoses),
    remoteCpuMsPerDiagnosis: round((remoteAfter - remoteBefore) / diagnoses),
    ...(verdicts ? { verdicts } : {}),
  };
}

/** The real command line, start to exit: `portbot diagnose --all PORT --json` as a new process. */
export function measureCli(
  ctx: BenchContext,
  inventoryPath: string,
  runs: number,
  beforeMeasured?: () => Promise<void>,
): Promise<ProcessPhaseResult> {
  const main = PORTBOT_BIN;
  const args = [main, 'diagnose', '--all', String(ctx.port), '--inventory', inventoryPath];
  args.push('--concurrency', String(ctx.concurrency), '--json');
  const verdicts: Record<string, number> = {};
  const once = async (): Promise<number> => {
    const t0 = performance.now();
    const { code, stdout, stderr } = await spawnCollect(process.execPath, args, 60_000);
    const wall = performance.now() - t0;
    if (code !== 0) throw new Error(`portbot CLI exited ${code}: ${stderr.trim().slice(0, 500)}`);
    if (stdout.trim() === '') {
      throw new Error(
        `portbot CLI exited ${code} without output${stderr.trim() ? `: ${stderr.trim().slice(0, 300)}` : ''}`,
      );
    }
    const parsed = JSON.parse(stdout) as { host: string; verdict: string; summary: string }[];
    if (parsed.length !== ctx.hosts.length)
      throw new Error(`portbot CLI reported ${parsed.length} hosts`);
    tallyVerdicts(verdicts, parsed);
    return wall;
  };
  return measureRuns(
    ctx,
    `${ctx.hosts.length} hosts, portbot CLI (new process, cold)`,
    runs,
    once,
    { verdicts, ...(beforeMeasured ? { beforeMeasured } : {}) },
  );
}

export function measureParallelSsh(
  ctx: BenchContext,
  opts: ParallelSshOptions,
  runs: number,
  beforeMeasured?: () => Promise<void>,
  name?: string,
): Promise<ProcessPhaseResult> {
  const once = async (): Promise<number> => {
    const r = await runParallelSsh(opts);
    if (r.completed !== ctx.hosts.length) {
      throw new Error(
        `parallel-ssh completed ${r.completed}/${ctx.hosts.length} hosts (rc ${r.exitCode}): ${r.problem ?? ''}`,
      );
    }
    return r.wallMs;
  };
  const tuned = opts.sshOptions?.length ? ` ${opts.sshOptions.join(' ')}` : '';
  return measureRuns(
    ctx,
    name ?? `${ctx.hosts.length} hosts, parallel-ssh -p ${opts.parallelism}${tuned}`,
    runs,
    once,
    beforeMeasured ? { beforeMeasured } : {},
  );
}
