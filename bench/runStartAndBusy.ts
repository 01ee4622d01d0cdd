import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../test/lab/Lab';
import type { BenchContext } from './BenchContext';
import { benchContextFor } from './benchContextFor';
import { writeBenchInventory } from './benchFiles';
import { measureBusyHost } from './measureBusyHost';
import { measureCliStart } from './measureCliStart';
import { measureSingleHost } from './measureSingleHost';
import { busyHostRows, cliStartRows } from './perfReportRows';
import type { ReportRow } from './reportTable';

const RUNS = { cliStart: 15, busy: 30 };
/** Accepted connections on bench-01's :80 in the busy-LB phase (issue 12). */
const BUSY_CONNECTIONS = 20_000;

/** An extra phase that failed: the rest of the report still stands, the reason goes to the JSON. */
function notMeasured(what: string, err: unknown, log: (msg: string) => void): { error: string } {
  const error = err instanceof Error ? err.message : String(err);
  log(`${what} not measured: ${error}`);
  return { error };
}

/** CLI start and busy LB (README "Phases"), on ctx's first host; part of the SSH part. */
export async function runStartAndBusy(
  l: Lab,
  ctx: BenchContext,
  benchInventory: string,
  log: (msg: string) => void,
): Promise<{ rows: ReportRow[]; results: Record<string, unknown> }> {
  const first = ctx.hosts[0]?.name ?? '';
  log(`CLI start: node -e 0, portbot --help, portbot diagnose ${first} x${RUNS.cliStart}`);
  const cliStart = await measureCliStart(benchInventory, first, ctx.port, RUNS.cliStart).catch(
    (err: unknown) => notMeasured('CLI start', err, log),
  );
  // The same diagnosis in this process with a fresh pool: what of the CLI's time is not start-up.
  const inProcessCold = await measureSingleHost(ctx, 'cold', RUNS.cliStart);
  log(`busy LB: ${first} idle, then with ${BUSY_CONNECTIONS} connections, warm x${RUNS.busy}`);
  const busyHost = await measureBusyHost(l, ctx, BUSY_CONNECTIONS, RUNS.busy).catch(
    (err: unknown) => notMeasured('busy LB', err, log),
  );
  return {
    rows: [...cliStartRows(cliStart, inProcessCold.wallMs.p50), ...busyHostRows(busyHost)],
    results: { cliStart, cliStartInProcessCold: inProcessCold, busyHost },
  };
}

/** `npm run bench -- --only busy`: these two phases alone, on one bench host. */
export async function runStartAndBusyBench(
  l: Lab,
  names: readonly string[],
  port: number,
  log: (msg: string) => void,
): Promise<{ rows: ReportRow[]; results: Record<string, unknown> }> {
  const scratch = mkdtempSync(join(tmpdir(), 'portbot-bench-'));
  try {
    const benchInventory = join(scratch, 'inventory.yaml');
    writeBenchInventory(l.inventoryPath, names, benchInventory);
    return await runStartAndBusy(l, benchContextFor(l, names, port, 1), benchInventory, log);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
