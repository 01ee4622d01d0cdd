import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../test/lab/Lab';
import { writeBenchInventory } from './benchFiles';
import { captureProbeCommand } from './captureProbeCommand';
import { measureFanout } from './measureFanout';
import { benchContextFor } from './benchContextFor';
import { runStartAndBusy } from './runStartAndBusy';
import { measureSweep } from './measureSweep';
import { ratios, reportRows, type BenchPhases } from './reportRows';
import type { ReportRow } from './reportTable';
import { logged } from './logged';
import { CONCURRENCY, measurePeers, PEER_RUNS, probeSummary } from './runPeers';
import { runSingleHostPhases } from './runSingleHost';

const PORT = 80;
const RUNS = { single: 60, fanoutCold: 7, sweep: 5, ...PEER_RUNS };

/** The SSH diagnosis phases (README "Phases"): their rows and their part of the results JSON. */
export async function runSshBench(
  l: Lab,
  names: readonly string[],
  log: (msg: string) => void,
): Promise<{ rows: ReportRow[]; results: Record<string, unknown>; complete: boolean }> {
  const ctx = benchContextFor(l, names, PORT, CONCURRENCY);
  const scratch = mkdtempSync(join(tmpdir(), 'portbot-bench-'));
  try {
    const benchInventory = join(scratch, 'inventory.yaml');
    writeBenchInventory(l.inventoryPath, names, benchInventory);

    log('capturing the probe script portbot sends (one unmeasured fan-out)');
    const probe = await captureProbeCommand(ctx);
    const single = await runSingleHostPhases(ctx, RUNS.single, log);
    log(`${names.length} hosts cold x${RUNS.fanoutCold}`);
    const fanoutCold = logged(log, await measureFanout(ctx, 'cold', RUNS.fanoutCold));
    log(`${names.length} hosts warm x${RUNS.fanoutWarm}`);
    const fanoutWarm = logged(log, await measureFanout(ctx, 'warm', RUNS.fanoutWarm));
    log(`${names.length} hosts sweep (cold) x${RUNS.sweep}`);
    const sweep = await measureSweep(ctx, RUNS.sweep);
    // Logged at once: the row survives a later phase running past the bench's time limit.
    const sweepRatio = sweep.wallMs.p50 / fanoutCold.wallMs.p50;
    log(
      `sweep p50 ${sweep.wallMs.p50.toFixed(1)} ms / diagnose --all cold p50 ${fanoutCold.wallMs.p50.toFixed(1)} ms = ${sweepRatio.toFixed(2)}x (target ≤ 2x): ${sweepRatio <= 2 ? 'PASS' : 'FAIL'}`,
    );
    const peers = await measurePeers(l, ctx, probe, benchInventory, scratch, log);
    const extra = await runStartAndBusy(l, ctx, benchInventory, log);
    const phases: BenchPhases = {
      ...single,
      fanoutCold,
      fanoutWarm,
      sweep,
      ...peers,
    };
    const rows = [...reportRows(phases), ...extra.rows];
    return {
      rows,
      results: {
        config: { hosts: names.length, port: PORT, concurrency: CONCURRENCY, runs: RUNS },
        probeCommand: probeSummary(probe),
        phases,
        ratios: ratios(phases),
        ...extra.results,
      },
      complete: !('error' in peers.ansibleWarm),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
