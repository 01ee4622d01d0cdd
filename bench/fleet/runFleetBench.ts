import type { Lab } from '../../test/lab/Lab';
import type { PhaseResult } from '../BenchContext';
import { benchContextFor } from '../benchContextFor';
import { measureFanout } from '../measureFanout';
import type { ReportRow } from '../reportTable';
import { fleetReportRows } from './fleetReportRows';
import { measureWorkerFleetCheck, type WorkerFleetCheckResult } from './measureWorkerFleetCheck';

const PORT = 80;
/**
 * `diagnose --all`'s default width, and the worker's (PORTBOT_WORKER_CONCURRENCY): at 50, cold
 * runs here at a load average of 30-44 had handshakes run past portbot's 5 s connect timeout.
 */
const CONCURRENCY = 20;
const RUNS = { fanoutCold: 5, fanoutWarm: 7 };

export interface FleetBenchResult {
  hosts: number;
  fanoutCold: PhaseResult;
  fanoutWarm: PhaseResult;
  /** The real worker's fleet check and RSS; an error when it could not be measured. */
  worker: WorkerFleetCheckResult | { error: string };
}

/** The 200-host phases (README "Fleet"): in-process fan-out, then the real worker's check all. */
export async function runFleetBench(
  l: Lab,
  names: readonly string[],
  log: (msg: string) => void,
): Promise<{ rows: ReportRow[]; results: { fleet: FleetBenchResult } }> {
  const ctx = benchContextFor(l, names, PORT, CONCURRENCY);
  log(`fleet: ${names.length} hosts, one unmeasured fan-out (first logins, page cache)`);
  await measureFanout(ctx, 'cold', 1);
  log(`fleet: ${names.length} hosts cold x${RUNS.fanoutCold}`);
  const fanoutCold = await measureFanout(ctx, 'cold', RUNS.fanoutCold);
  log(`  p50 ${fanoutCold.wallMs.p50.toFixed(1)} ms`);
  log(`fleet: ${names.length} hosts warm x${RUNS.fanoutWarm}`);
  const fanoutWarm = await measureFanout(ctx, 'warm', RUNS.fanoutWarm);
  log(`  p50 ${fanoutWarm.wallMs.p50.toFixed(1)} ms`);
  const worker = await measureWorkerFleetCheck(l.inventoryPath, names.length, log).catch(
    (err: unknown) => {
      const error = err instanceof Error ? err.message : String(err);
      log(`fleet: worker not measured: ${error}`);
      return { error };
    },
  );
  const fleet: FleetBenchResult = { hosts: names.length, fanoutCold, fanoutWarm, worker };
  return { rows: fleetReportRows(fleet), results: { fleet } };
}
