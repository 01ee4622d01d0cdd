import type { CommandRunner, ExecOptions, ExecResult } from '../src/domain/CommandRunner';
import type { HostConfig } from '../src/domain/HostConfig';
import { SshPool } from '../src/ssh/SshPool';
import { diagnoseHost } from '../src/usecases/diagnoseHost';
import type { Lab } from '../test/lab/Lab';
import type { BenchContext, PhaseResult } from './BenchContext';
import { measureSingleHost } from './measureSingleHost';
import { round } from './stats';

export interface BusyHostResult {
  host: string;
  connections: number;
  /** The same host (nginx with the busy configuration) without clients. */
  idle: PhaseResult;
  busy: PhaseResult;
  /** busy p50 ÷ idle p50, warm (pooled) diagnoses. */
  ratio: number;
  /** Probe output of one diagnosis, idle and busy: what crosses SSH and gets parsed. */
  outputBytes: { idle: number; busy: number };
  /** Ready (every connection accepted) after this long. */
  setupMs: number;
}

/** Passes execs through, keeping the size of each stdout. */
class OutputSizes implements CommandRunner {
  readonly bytes: number[] = [];
  constructor(private readonly inner: CommandRunner) {}
  async exec(host: HostConfig, command: string, opts?: ExecOptions): Promise<ExecResult> {
    const r = await this.inner.exec(host, command, opts);
    this.bytes.push(Buffer.byteLength(r.stdout));
    return r;
  }
}

async function outputBytes(ctx: BenchContext, host: HostConfig): Promise<number> {
  const pool = new SshPool({ maxConcurrency: 1 });
  try {
    const runner = new OutputSizes(pool);
    const deps = { runner, runbooks: ctx.runbooks, now: () => performance.now() };
    await diagnoseHost(deps, ctx.inventory, host, ctx.port);
    return runner.bytes[0] ?? 0;
  } finally {
    await pool.close();
  }
}

function assertHealthy(p: PhaseResult): void {
  const other = Object.keys(p.verdicts).filter((v) => v !== 'healthy');
  if (other.length > 0) throw new Error(`${p.name}: verdicts ${JSON.stringify(p.verdicts)}`);
}

/**
 * Busy LB (issue 12 item 1): warm diagnoses of bench-01 with nginx idle, then holding
 * `connections` accepted connections from clients in the root namespace; both verdicts must be
 * `healthy`. bench-01 gets its baseline back afterwards (reset ends the clients).
 */
export async function measureBusyHost(
  lab: Lab,
  ctx: BenchContext,
  connections: number,
  runs: number,
): Promise<BusyHostResult> {
  const host = ctx.hosts[0];
  if (host === undefined) throw new Error('no bench host');
  try {
    await lab.busyLb(host.name, 0);
    const idle = await measureSingleHost(ctx, 'warm', runs);
    const idleBytes = await outputBytes(ctx, host);
    const t0 = performance.now();
    await lab.busyLb(host.name, connections);
    const setupMs = round(performance.now() - t0);
    const busy = await measureSingleHost(ctx, 'warm', runs);
    const busyBytes = await outputBytes(ctx, host);
    assertHealthy(idle);
    assertHealthy(busy);
    return {
      host: host.name,
      connections,
      idle: { ...idle, name: `${host.name} idle, warm` },
      busy: { ...busy, name: `${host.name} with ${connections} connections, warm` },
      ratio: round(busy.wallMs.p50 / idle.wallMs.p50),
      outputBytes: { idle: idleBytes, busy: busyBytes },
      setupMs,
    };
  } finally {
    await lab.healthy(host.name);
  }
}
