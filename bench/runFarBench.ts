import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFarRelays, FAR_DELAY_MS, type FarRelays } from '../test/lab/farRelays';
import type { Lab } from '../test/lab/Lab';
import { run } from '../test/lab/run';
import type { RelayStats } from '../test/lab/relay/DelayRelay';
import { benchContextFor } from './benchContextFor';
import { writeBenchInventory, writePsshHosts } from './benchFiles';
import { captureProbeCommand } from './captureProbeCommand';
import { farReportRows, type FarPhases } from './farReportRows';
import { roundTripsBetween, type FarRoundTrips } from './farRoundTrips';
import { measureFanout } from './measureFanout';
import { measureCli, measureParallelSsh } from './measureProcesses';
import type { ReportRow } from './reportTable';
import { TUNED_OPENSSH_OPTIONS, type ParallelSshOptions } from './runParallelSsh';

const PORT = 80;
const CONCURRENCY = 50;
const RUNS = { fanoutCold: 5, fanoutWarm: 10, cli: 3, openSshCold: 5, openSshWarm: 5 };

/**
 * Runs one phase and counts what crossed the relay during its measured runs only: the phase
 * calls `mark` once its warm-up is over.
 */
async function withRoundTrips<T extends { diagnoses: number; wallMs: { p50: number } }>(
  far: FarRelays,
  log: (msg: string) => void,
  phase: (mark: () => Promise<void>) => Promise<T>,
): Promise<T & { roundTrips: FarRoundTrips }> {
  let before: RelayStats | undefined;
  const r = await phase(async () => {
    before = await far.stats();
  });
  if (!before) throw new Error('phase never started its measured runs');
  const roundTrips = roundTripsBetween(before, await far.stats(), r.diagnoses);
  log(`  p50 ${r.wallMs.p50.toFixed(1)} ms, ${roundTrips.perDiagnosis} round trips/diagnosis`);
  return { ...r, roundTrips };
}

/**
 * Far away hosts (issue 12 item 3b): the same bench hosts behind a relay that adds 25 ms each
 * way. portbot cold and warm against tuned OpenSSH cold (parallel-ssh) and warm (multiplexed).
 */
export async function runFarBench(
  l: Lab,
  names: readonly string[],
  log: (msg: string) => void,
): Promise<{ rows: ReportRow[]; results: Record<string, unknown> }> {
  log(`starting the far relay (${FAR_DELAY_MS} ms each way) for ${names.length} hosts`);
  const far = await startFarRelays(l, names);
  const scratch = mkdtempSync(join(tmpdir(), 'portbot-bench-far-'));
  try {
    const ctx = benchContextFor(l, names, PORT, CONCURRENCY, far.inventoryPath);
    const benchInventory = join(scratch, 'inventory.yaml');
    writeBenchInventory(far.inventoryPath, names, benchInventory);
    const psshHosts = join(scratch, 'pssh-hosts');
    writePsshHosts(ctx.hosts, psshHosts);
    log('far: capturing the probe script (one unmeasured fan-out through the relay)');
    const probe = await captureProbeCommand(ctx);
    const n = names.length;
    log(`far: ${n} hosts portbot in-process cold x${RUNS.fanoutCold}`);
    const fanoutCold = await withRoundTrips(far, log, (mark) =>
      measureFanout(ctx, 'cold', RUNS.fanoutCold, mark),
    );
    log(`far: ${n} hosts portbot in-process warm x${RUNS.fanoutWarm}`);
    const fanoutWarm = await withRoundTrips(far, log, (mark) =>
      measureFanout(ctx, 'warm', RUNS.fanoutWarm, mark),
    );
    log(`far: ${n} hosts portbot CLI x${RUNS.cli}`);
    const cli = await withRoundTrips(far, log, (mark) =>
      measureCli(ctx, benchInventory, RUNS.cli, mark),
    ).catch((err: unknown) => {
      const error = err instanceof Error ? err.message : String(err);
      log(`far: portbot CLI not measured: ${error}`);
      return { error };
    });
    const first = ctx.hosts[0];
    const pssh: ParallelSshOptions = {
      hostsFile: psshHosts,
      privateKeyPath: first?.privateKeyPath ?? l.keyPath,
      knownHostsPath: far.knownHostsPath,
      user: first?.user ?? 'root',
      parallelism: CONCURRENCY,
      timeoutSec: 30,
      command: probe.command,
      stdin: probe.stdin,
      sshOptions: TUNED_OPENSSH_OPTIONS,
    };
    log(`far: ${n} hosts tuned OpenSSH cold (parallel-ssh) x${RUNS.openSshCold}`);
    const openSshCold = await withRoundTrips(far, log, (mark) =>
      measureParallelSsh(ctx, pssh, RUNS.openSshCold, mark, `${n} hosts, tuned OpenSSH cold`),
    );
    // %C: a hash of user, host and port, so each relayed port gets its own master.
    const mux = [
      '-o ControlMaster=auto',
      `-o ControlPath=${join(scratch, 'cm-%C')}`,
      '-o ControlPersist=300',
    ];
    log(`far: ${n} hosts tuned OpenSSH warm (multiplexed) x${RUNS.openSshWarm}`);
    const openSshWarm = await withRoundTrips(far, log, (mark) =>
      measureParallelSsh(
        ctx,
        { ...pssh, sshOptions: [...TUNED_OPENSSH_OPTIONS, ...mux] },
        RUNS.openSshWarm,
        mark,
        `${n} hosts, tuned OpenSSH warm (ControlMaster)`,
      ),
    ).finally(() => closeMasters(far, scratch));
    const phases: FarPhases = { fanoutCold, fanoutWarm, cli, openSshCold, openSshWarm };
    return {
      rows: farReportRows(phases),
      results: {
        far: {
          config: { hosts: n, port: PORT, concurrency: CONCURRENCY, runs: RUNS },
          delayMsEachWay: FAR_DELAY_MS,
          relayRealTime: far.realTime,
          openSshOptions: { tuned: TUNED_OPENSSH_OPTIONS, multiplexing: mux },
          probeSha256: probe.sha256,
          phases,
          relayTotals: await far.stats(),
        },
      },
    };
  } finally {
    await far.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `ssh -O exit` for every master the multiplexed phase left persisting. */
async function closeMasters(far: FarRelays, scratch: string): Promise<void> {
  await Promise.all(
    far.routes.map((r) =>
      run([
        'ssh',
        '-F',
        '/dev/null',
        '-o',
        `ControlPath=${join(scratch, 'cm-%C')}`,
        '-O',
        'exit',
        '-p',
        String(r.listenPort),
        `root@${r.listenHost}`,
      ]),
    ),
  );
}
