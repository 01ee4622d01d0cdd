import { cpus, loadavg, release } from 'node:os';
import { loadInventory } from '../src/config/loadInventory';
import { defaultRunbooksDir, loadRunbooks } from '../src/config/loadRunbooks';
import { findHost } from '../src/domain/findHost';
import type { Lab } from '../test/lab/Lab';
import { benchHostNames, labTakenOver, startBenchLab } from './benchLab';
import { writeResults } from './benchFiles';
import { formatTable, type ReportRow } from './reportTable';
import { runFarBench } from './runFarBench';
import { runPeersBench } from './runPeers';
import { runSingleHostBench } from './runSingleHost';
import { runFleetBench } from './fleet/runFleetBench';
import { stopWorkerFleetCheck } from './fleet/measureWorkerFleetCheck';
import { runSshBench } from './runSshBench';
import { runStartAndBusyBench } from './runStartAndBusy';
import { runServiceBench, stopServiceBench } from './service/runServiceBench';
import { serviceReportRows, type ServiceBenchResult } from './service/serviceReportRows';
import { assertRedisReachable } from './service/startServiceStack';

type Mode = 'all' | 'ssh' | 'service' | 'busy' | 'single' | 'peers' | 'far' | 'fleet';

/**
 * `npm run bench` runs every part; `npm run bench -- --only ssh|service|fleet` one of them;
 * `--only busy` the CLI start and busy-LB phases of the SSH part alone, on one bench host;
 * `--only single` the single-host phases (diagnosis and `exec true`, cold and warm) alone, on one
 * bench host; `--only peers` the portbot CLI and warm fan-out against parallel-ssh (default and
 * tuned) and Ansible, 50 hosts; `--only far` the far-away hosts part alone (50 hosts behind the
 * delay relay).
 */
function parseMode(argv: readonly string[]): Mode {
  const i = argv.indexOf('--only');
  if (i === -1) return 'all';
  const v = argv[i + 1];
  const modes: readonly Mode[] = ['ssh', 'service', 'busy', 'single', 'peers', 'far', 'fleet'];
  const mode = modes.find((m) => m === v);
  if (mode !== undefined) return mode;
  process.stderr.write(`bench: --only takes ${modes.join(', ')}, not ${v ?? 'nothing'}\n`);
  process.exit(2);
}

const MODE = parseMode(process.argv.slice(2));
/**
 * The SSH part fans out over 50 hosts, the fleet part over 200 (a full run boots 200 and gives
 * the SSH, peers and far parts the first 50); the service part needs only a few warm ones.
 */
const HOSTS = { all: 200, fleet: 200, ssh: 50, peers: 50, far: 50, service: 4, busy: 1, single: 1 }[
  MODE
];
const SSH_HOSTS = 50;
/** Runs per single-host phase, as in the SSH part. */
const SINGLE_RUNS = 60;
const SERVICE_HOSTS = 4;
/**
 * The whole bench, lab up and down included, must end within 20 minutes (30 for a full run, which
 * adds the fleet part's 200-host lab and its 60 s wait for idle connections): on 2 cores under
 * other load its phases have taken 5 minutes and more; a hung phase must not hold the lab for ever.
 */
const HARD_LIMIT_MS = MODE === 'all' ? 1_800_000 : 1_200_000;
const LAB_DIR = process.env.PORTBOT_BENCH_LAB_DIR ?? '/tmp/portbot-bench-lab';

const NAMES = benchHostNames(HOSTS);

let lab: Lab | undefined;
let tearingDown: Promise<void> | undefined;
/** Set once a signal or the time limit ends the run: main's own ending then changes nothing. */
let failing = false;

/** Every caller (main's end, a signal, the time limit) waits for the same teardown. */
function tearDown(): Promise<void> {
  tearingDown ??= (async () => {
    await stopServiceBench().catch((err: unknown) => log(`service stop: ${String(err)}`));
    await stopWorkerFleetCheck().catch((err: unknown) => log(`fleet stop: ${String(err)}`));
    const l = lab;
    lab = undefined;
    if (!l) return;
    const why = await labTakenOver(l, NAMES).catch(() => undefined);
    if (why !== undefined) {
      log(`not stopping the lab: ${why}`);
      return;
    }
    log('stopping the lab');
    await Promise.race([l.stop(), new Promise((r) => setTimeout(r, 20_000))]);
  })();
  return tearingDown;
}

function log(msg: string): void {
  process.stderr.write(`[bench ${(performance.now() / 1000).toFixed(1)}s] ${msg}\n`);
}

async function serviceBench(l: Lab): Promise<ServiceBenchResult | { error: string }> {
  const runbooks = loadRunbooks(defaultRunbooksDir());
  const inventory = loadInventory(l.inventoryPath, new Set(runbooks.keys()));
  const hosts = NAMES.slice(0, SERVICE_HOSTS).map((n) => {
    const h = findHost(inventory, n);
    return { name: h.name, address: h.address };
  });
  return runServiceBench(l.inventoryPath, hosts, log).catch(async (err: unknown) => {
    // A replaced lab explains a failed service bench better than the symptom does.
    const why = await labTakenOver(l, NAMES).catch(() => undefined);
    if (why !== undefined) throw new Error(`${why}\n  first error: ${String(err)}`);
    const error = err instanceof Error ? err.message : String(err);
    log(`service bench not measured: ${error}`);
    return { error };
  });
}

/** Resolves with the exit status: 1 when a part could not be measured. */
async function main(): Promise<number> {
  if (process.getuid?.() !== 0) throw new Error('the lab needs root (namespaces, veths, sshd)');
  const started = performance.now();
  if (MODE === 'all' || MODE === 'service' || MODE === 'fleet') await assertRedisReachable();
  log(
    `starting the lab with ${HOSTS} bench hosts (${MODE === 'all' ? 'ssh + service + fleet' : MODE})`,
  );
  const takeover = process.env.PORTBOT_BENCH_TAKEOVER === '1';
  const l = await startBenchLab(NAMES, LAB_DIR, takeover, log);
  lab = l;
  const loadBefore = loadavg();
  const ssh =
    MODE === 'busy'
      ? { ...(await runStartAndBusyBench(l, NAMES, 80, log)), complete: true }
      : MODE === 'single'
        ? { ...(await runSingleHostBench(l, NAMES, 80, SINGLE_RUNS, log)), complete: true }
        : MODE === 'peers'
          ? await runPeersBench(l, NAMES, 80, log)
          : MODE === 'ssh' || MODE === 'all'
            ? await runSshBench(l, NAMES.slice(0, SSH_HOSTS), log)
            : undefined;
  const far =
    MODE === 'far' || MODE === 'all'
      ? await runFarBench(l, NAMES.slice(0, SSH_HOSTS), log)
      : undefined;
  const service = MODE === 'all' || MODE === 'service' ? await serviceBench(l) : undefined;
  const fleet = MODE === 'all' || MODE === 'fleet' ? await runFleetBench(l, NAMES, log) : undefined;
  // Interrupted: what the parts returned is the interruption, not a measurement.
  if (failing) return 1;
  const rows: ReportRow[] = [
    ...(ssh?.rows ?? []),
    ...(far?.rows ?? []),
    ...(service ? serviceReportRows(service) : []),
    ...(fleet?.rows ?? []),
  ];
  process.stdout.write(`\n${formatTable(rows)}\n\n`);
  const file = writeResults({
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    durationMs: Math.round(performance.now() - started),
    mode: MODE,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      kernel: release(),
      node: process.version,
      loadavgBefore: loadBefore,
      loadavgAfter: loadavg(),
    },
    ...(ssh?.results ?? {}),
    ...(far?.results ?? {}),
    ...(service ? { service } : {}),
    ...(fleet?.results ?? {}),
    targets: rows.filter((r) => r.pass !== null),
    rows,
  });
  process.stdout.write(`results: ${file}\n`);
  const fleetFailed = fleet !== undefined && 'error' in fleet.results.fleet.worker;
  return (service && 'error' in service) || ssh?.complete === false || fleetFailed ? 1 : 0;
}

function fail(err: unknown, code: number): void {
  if (failing) return;
  failing = true;
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
  async (code) => {
    if (failing) return;
    clearTimeout(hardStop);
    await tearDown();
    // Idle ssh2 sockets or timers must not keep a finished bench alive.
    process.exit(code);
  },
  async (err: unknown) => {
    if (failing) return;
    clearTimeout(hardStop);
    const why = lab ? await labTakenOver(lab, NAMES).catch(() => undefined) : undefined;
    fail(why === undefined ? err : new Error(`${why}\n  first error: ${String(err)}`), 1);
  },
);
