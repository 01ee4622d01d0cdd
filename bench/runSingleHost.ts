import { logged } from './logged';
import type { Lab } from '../test/lab/Lab';
import type { BenchContext } from './BenchContext';
import { benchContextFor } from './benchContextFor';
import { measureSingleHost } from './measureSingleHost';
import { singleHostRows, type SingleHostPhases } from './reportRows';
import type { ReportRow } from './reportTable';

/** Single host cold and warm, then `exec true` cold and warm, on ctx's first host. */
export async function runSingleHostPhases(
  ctx: BenchContext,
  runs: number,
  log: (msg: string) => void,
): Promise<SingleHostPhases> {
  log(`single host cold x${runs}`);
  const singleCold = logged(log, await measureSingleHost(ctx, 'cold', runs));
  log(`single host warm x${runs}`);
  const singleWarm = logged(log, await measureSingleHost(ctx, 'warm', runs));
  log(`single host, exec 'true' only, cold and warm x${runs}`);
  const transportCold = logged(log, await measureSingleHost(ctx, 'cold', runs, 'exec-true'));
  const transportWarm = logged(log, await measureSingleHost(ctx, 'warm', runs, 'exec-true'));
  return { singleCold, singleWarm, transportCold, transportWarm };
}

/** `npm run bench -- --only single`: the single-host phases alone, on one bench host. */
export async function runSingleHostBench(
  l: Lab,
  names: readonly string[],
  port: number,
  runs: number,
  log: (msg: string) => void,
): Promise<{ rows: ReportRow[]; results: Record<string, unknown> }> {
  const phases = await runSingleHostPhases(benchContextFor(l, names, port, 1), runs, log);
  return {
    rows: singleHostRows(phases),
    results: { config: { hosts: names.length, port, runs: { single: runs } }, phases },
  };
}
