import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../src/config/loadInventory';
import { defaultRunbooksDir, loadRunbooks } from '../src/config/loadRunbooks';
import { findHost } from '../src/domain/findHost';
import { netnsOf } from '../test/lab/labTypes';
import type { Lab } from '../test/lab/Lab';
import type { BenchContext } from './BenchContext';
import { benchHostNames, labTakenOver, startBenchLab } from './benchLab';
import { writeBenchInventory, writePsshHosts, writeResults } from './benchFiles';
import { captureProbeCommand } from './captureProbeCommand';
import { measureFanout } from './measureFanout';
import { measureCli, measureParallelSsh } from './measureProcesses';
import { measureSingleHost } from './measureSingleHost';
import { RemoteCpuMeter } from './RemoteCpuMeter';
import { formatTable, ratios, reportRows, type BenchPhases } from './reportRows';

const HOSTS = 50;
const PORT = 80;
/** parallel-ssh runs with -p 50; portbot gets the same width. */
const CONCURRENCY = 50;
const RUNS = { single: 60, fanoutCold: 7, fanoutWarm: 10, cli: 5, parallelSsh: 5 };
/** The whole bench, lab up and down included, must end within 5 minutes. */
const HARD_LIMIT_MS = 280_000;
const LAB_DIR = process.env.PORTBOT_BENCH_LAB_DIR ?? '/tmp/portbot-bench-lab';

const NAMES = benchHostNames(HOSTS);

let lab: Lab | undefined;
let scratch: string | undefined;

async function tearDown(): Promise<void> {
  const l = lab;
  lab = undefined;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
  if (!l) return;
  const why = await labTakenOver(l, NAMES).catch(() => undefined);
  if (why !== undefined) {
    log(`not stopping the lab: ${why}`);
    return;
  }
  log('stopping the lab');
  await Promise.race([l.stop(), new Promise((r) => setTimeout(r, 20_000))]);
}

function log(msg: string): void {
  process.stderr.write(`[bench ${(performance.now() / 1000).toFixed(1)}s] ${msg}\n`);
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the lab needs root (namespaces, veths, sshd)');
  const started = performance.now();
  log(`starting the lab with ${HOSTS} bench hosts`);
  const takeover = process.env.PORTBOT_BENCH_TAKEOVER === '1';
  const l = await startBenchLab(NAMES, LAB_DIR, takeover, log);
  lab = l;
  const runbooks = loadRunbooks(defaultRunbooksDir());
  const inventory = loadInventory(l.inventoryPath, new Set(runbooks.keys()));
  const names = NAMES;
  const hosts = names.map((n) => findHost(inventory, n));
  const ctx: BenchContext = {
    inventory,
    runbooks,
    hosts,
    port: PORT,
    meterOne: RemoteCpuMeter.forNetns([netnsOf(names[0] ?? '')]),
    meterAll: RemoteCpuMeter.forNetns(names.map(netnsOf)),
    concurrency: CONCURRENCY,
  };
  scratch = mkdtempSync(join(tmpdir(), 'portbot-bench-'));
  const benchInventory = join(scratch, 'inventory.yaml');
  writeBenchInventory(l.inventoryPath, names, benchInventory);
  const psshHosts = join(scratch, 'pssh-hosts');
  writePsshHosts(hosts, psshHosts);

  log('capturing the probe script portbot sends (one unmeasured fan-out)');
  const probe = await captureProbeCommand(ctx);
  const loadBefore = loadavg();
  log(`single host cold x${RUNS.single}`);
  const singleCold = await measureSingleHost(ctx, 'cold', RUNS.single);
  log(`single host warm x${RUNS.single}`);
  const singleWarm = await measureSingleHost(ctx, 'warm', RUNS.single);
  log(`single host, exec 'true' only, cold and warm x${RUNS.single}`);
  const transportCold = await measureSingleHost(ctx, 'cold', RUNS.single, 'exec-true');
  const transportWarm = await measureSingleHost(ctx, 'warm', RUNS.single, 'exec-true');
  log(`${HOSTS} hosts cold x${RUNS.fanoutCold}`);
  const fanoutCold = await measureFanout(ctx, 'cold', RUNS.fanoutCold);
  log(`${HOSTS} hosts warm x${RUNS.fanoutWarm}`);
  const fanoutWarm = await measureFanout(ctx, 'warm', RUNS.fanoutWarm);
  log(`${HOSTS} hosts, portbot CLI x${RUNS.cli}`);
  // An extra beside the list: if the CLI itself breaks, report that and go on.
  const cli = await measureCli(ctx, benchInventory, RUNS.cli).catch((err: unknown) => {
    const error = err instanceof Error ? err.message : String(err);
    log(`portbot CLI not measured: ${error}`);
    return { error };
  });
  log(`${HOSTS} hosts, parallel-ssh x${RUNS.parallelSsh}`);
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
      command: probe.text,
    },
    RUNS.parallelSsh,
  );
  const phases: BenchPhases = {
    singleCold,
    singleWarm,
    transportCold,
    transportWarm,
    fanoutCold,
    fanoutWarm,
    cli,
    parallelSsh,
  };
  const rows = reportRows(phases);
  process.stdout.write(`\n${formatTable(rows)}\n\n`);
  const file = writeResults({
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    durationMs: Math.round(performance.now() - started),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      kernel: release(),
      node: process.version,
      loadavgBefore: loadBefore,
      loadavgAfter: loadavg(),
    },
    config: { hosts: HOSTS, port: PORT, concurrency: CONCURRENCY, runs: RUNS },
    probeCommand: {
      bytes: probe.bytes,
      sha256: probe.sha256,
      execsPerDiagnosis: probe.execsPerDiagnosis,
      sameLengthForAllHosts: probe.sameLengthForAllHosts,
    },
    phases,
    ratios: ratios(phases),
    targets: rows.filter((r) => r.pass !== null),
    rows,
  });
  process.stdout.write(`results: ${file}\n`);
}

function fail(err: unknown, code: number): void {
  process.stderr.write(
    `bench: could not measure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  void tearDown().finally(() => process.exit(code));
}

const hardStop = setTimeout(
  () => fail(new Error(`time limit of ${HARD_LIMIT_MS / 1000} s reached`), 1),
  HARD_LIMIT_MS,
);
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.once(sig, () => fail(new Error(`got ${sig}`), 130));

main().then(
  async () => {
    clearTimeout(hardStop);
    await tearDown();
    // Idle ssh2 sockets or timers must not keep a finished bench alive.
    process.exit(0);
  },
  async (err: unknown) => {
    clearTimeout(hardStop);
    const why = lab ? await labTakenOver(lab, NAMES).catch(() => undefined) : undefined;
    fail(why === undefined ? err : new Error(`${why}\n  first error: ${String(err)}`), 1);
  },
);
