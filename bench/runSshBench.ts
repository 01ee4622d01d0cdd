import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../test/lab/Lab';
import { writeBenchInventory, writePsshHosts } from './benchFiles';
import { captureProbeCommand } from './captureProbeCommand';
import { measureFanout } from './measureFanout';
import { measureCli, measureParallelSsh } from './measureProcesses';
import { benchContextFor } from './benchContextFor';
import { runStartAndBusy } from './runStartAndBusy';
import { measureSweep } from './measureSweep';
import { logged, runSingleHostPhases } from './runSingleHost';
import { ratios, reportRows, type BenchPhases, type ReportRow } from './reportRows';

const PORT = 80;
/** parallel-ssh runs with -p 50; portbot gets the same width. */
const CONCURRENCY = 50;
const RUNS = { single: 60, fanoutCold: 7, fanoutWarm: 10, sweep: 5, cli: 5, parallelSsh: 5 };

/** The SSH diagnosis phases (README "Phases"): their rows and their part of the results JSON. */
export async function runSshBench(
  l: Lab,
  names: readonly string[],
  log: (msg: string) => void,
): Promise<{ rows: ReportRow[]; results: Record<string, unknown> }> {
  const ctx = benchContextFor(l, names, PORT, CONCURRENCY);
  const hosts = ctx.hosts;
  const scratch = mkdtempSync(join(tmpdir(), 'portbot-bench-'));
  try {
    const benchInventory = join(scratch, 'inventory.yaml');
    writeBenchInventory(l.inventoryPath, names, benchInventory);
    const psshHosts = join(scratch, 'pssh-hosts');
    writePsshHosts(hosts, psshHosts);

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
    log(`${names.length} hosts, portbot CLI x${RUNS.cli}`);
    // An extra beside the list: if the CLI itself breaks, report that and go on.
    const cli = await measureCli(ctx, benchInventory, RUNS.cli).catch((err: unknown) => {
      const error = err instanceof Error ? err.message : String(err);
      log(`portbot CLI not measured: ${error}`);
      return { error };
    });
    log(`${names.length} hosts, parallel-ssh x${RUNS.parallelSsh}`);
    const first = hosts[0];
    const parallelSsh = await measureParallelSsh(
      ctx,
      {
        hostsFile: psshHosts,
        privateKeyPath: first?.privateKeyPath ?? l.keyPath,
        knownHostsPath: first?.knownHostsPath ?? l.knownHostsPath,
        user: first?.user ?? 'root',
        parallelism: CONCURRENCY,
        timeoutSec: 30,
        command: probe.command,
        stdin: probe.stdin,
      },
      RUNS.parallelSsh,
    );
    const extra = await runStartAndBusy(l, ctx, benchInventory, log);
    const phases: BenchPhases = {
      ...single,
      fanoutCold,
      fanoutWarm,
      sweep,
      cli,
      parallelSsh,
    };
    const rows = [...reportRows(phases), ...extra.rows];
    return {
      rows,
      results: {
        config: { hosts: names.length, port: PORT, concurrency: CONCURRENCY, runs: RUNS },
        probeCommand: {
          bytes: probe.bytes,
          sha256: probe.sha256,
          execsPerDiagnosis: probe.execsPerDiagnosis,
          sameLengthForAllHosts: probe.sameLengthForAllHosts,
        },
        phases,
        ratios: ratios(phases),
        ...extra.results,
      },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
