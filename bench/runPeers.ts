import { logged } from './logged';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../test/lab/Lab';
import type { BenchContext } from './BenchContext';
import { benchContextFor } from './benchContextFor';
import { writeBenchInventory, writePsshHosts } from './benchFiles';
import { captureProbeCommand, type ProbeCommand } from './captureProbeCommand';
import { measureAnsibleWarm } from './measureAnsible';
import { measureFanout } from './measureFanout';
import { measureCli, measureParallelSsh } from './measureProcesses';
import { peerRatios, peerRows, type PeerPhases } from './peerReportRows';
import type { ReportRow } from './reportTable';
import { writeAnsibleFiles } from './runAnsible';
import { TUNED_OPENSSH_OPTIONS, type ParallelSshOptions } from './runParallelSsh';

/** parallel-ssh runs with -p 50; portbot and Ansible (forks) get the same width. */
export const CONCURRENCY = 50;
export const PEER_RUNS = {
  fanoutWarm: 10,
  cli: 5,
  parallelSsh: 5,
  parallelSshTuned: 5,
  ansibleWarm: 5,
};
const TIMEOUT_SEC = 30;

/**
 * The portbot CLI (a new process, cold) and its peers over the same hosts and probe script, one
 * after the other: parallel-ssh with OpenSSH's defaults, the same with TUNED_OPENSSH_OPTIONS, and
 * Ansible ad-hoc over ControlPersist masters (README "Phases"). `scratch` takes their files.
 */
export async function measurePeers(
  l: Lab,
  ctx: BenchContext,
  probe: ProbeCommand,
  benchInventory: string,
  scratch: string,
  log: (msg: string) => void,
): Promise<Omit<PeerPhases, 'fanoutWarm' | 'fanoutCold'>> {
  const n = ctx.hosts.length;
  const psshHosts = join(scratch, 'pssh-hosts');
  writePsshHosts(ctx.hosts, psshHosts);
  const first = ctx.hosts[0];
  const access = {
    privateKeyPath: first?.privateKeyPath ?? l.keyPath,
    knownHostsPath: first?.knownHostsPath ?? l.knownHostsPath,
    user: first?.user ?? 'root',
  };

  log(`${n} hosts, portbot CLI x${PEER_RUNS.cli}`);
  // If the CLI itself breaks, report that and go on: the peers still stand.
  const cli = await measureCli(ctx, benchInventory, PEER_RUNS.cli).then(
    (r) => logged(log, r),
    (err: unknown) => {
      const error = err instanceof Error ? err.message : String(err);
      log(`portbot CLI not measured: ${error}`);
      return { error };
    },
  );
  const pssh: ParallelSshOptions = {
    hostsFile: psshHosts,
    ...access,
    parallelism: CONCURRENCY,
    timeoutSec: TIMEOUT_SEC,
    command: probe.command,
    stdin: probe.stdin,
  };
  log(`${n} hosts, parallel-ssh (OpenSSH defaults) x${PEER_RUNS.parallelSsh}`);
  const parallelSsh = logged(log, await measureParallelSsh(ctx, pssh, PEER_RUNS.parallelSsh));
  log(
    `${n} hosts, parallel-ssh tuned (${TUNED_OPENSSH_OPTIONS.join(' ')}) x${PEER_RUNS.parallelSshTuned}`,
  );
  const parallelSshTuned = logged(
    log,
    await measureParallelSsh(
      ctx,
      { ...pssh, sshOptions: TUNED_OPENSSH_OPTIONS },
      PEER_RUNS.parallelSshTuned,
    ),
  );
  log(`${n} hosts, Ansible ad-hoc warm (ControlPersist, pipelining) x${PEER_RUNS.ansibleWarm}`);
  const ansibleDir = join(scratch, 'ansible');
  mkdirSync(ansibleDir);
  const setup = writeAnsibleFiles(ansibleDir, ctx.hosts, {
    ...access,
    forks: CONCURRENCY,
    timeoutSec: TIMEOUT_SEC,
  });
  const ansibleWarm = await measureAnsibleWarm(ctx, setup, probe.text, PEER_RUNS.ansibleWarm);
  if ('error' in ansibleWarm) log(`Ansible warm not measured: ${ansibleWarm.error}`);
  else logged(log, ansibleWarm);
  return { cli, parallelSsh, parallelSshTuned, ansibleWarm };
}

export function probeSummary(probe: ProbeCommand): Record<string, unknown> {
  return {
    bytes: probe.bytes,
    sha256: probe.sha256,
    execsPerDiagnosis: probe.execsPerDiagnosis,
    sameLengthForAllHosts: probe.sameLengthForAllHosts,
  };
}

/**
 * `npm run bench -- --only peers`: what the peer rows need and nothing else (capture, the
 * in-process warm fan-out, the CLI, the three peers), about two minutes.
 */
export async function runPeersBench(
  l: Lab,
  names: readonly string[],
  port: number,
  log: (msg: string) => void,
): Promise<{ rows: ReportRow[]; results: Record<string, unknown>; complete: boolean }> {
  const ctx = benchContextFor(l, names, port, CONCURRENCY);
  const scratch = mkdtempSync(join(tmpdir(), 'portbot-bench-'));
  try {
    const benchInventory = join(scratch, 'inventory.yaml');
    writeBenchInventory(l.inventoryPath, names, benchInventory);
    log('capturing the probe script portbot sends (one unmeasured fan-out)');
    const probe = await captureProbeCommand(ctx);
    log(`${names.length} hosts warm x${PEER_RUNS.fanoutWarm}`);
    const fanoutWarm = logged(log, await measureFanout(ctx, 'warm', PEER_RUNS.fanoutWarm));
    const phases: PeerPhases = {
      fanoutWarm,
      ...(await measurePeers(l, ctx, probe, benchInventory, scratch, log)),
    };
    return {
      rows: peerRows(phases),
      results: {
        config: { hosts: names.length, port, concurrency: CONCURRENCY, runs: PEER_RUNS },
        probeCommand: probeSummary(probe),
        phases,
        ratios: peerRatios(phases),
      },
      complete: !('error' in phases.ansibleWarm),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
