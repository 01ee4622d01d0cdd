import type { PhaseResult } from './BenchContext';
import type { ProcessPhaseResult } from './measureProcesses';
import { round } from './stats';

export interface ReportRow {
  metric: string;
  value: string;
  target: string;
  /** null for rows that inform without a target. */
  pass: boolean | null;
}

/** A phase that could not run keeps its reason, so the rest of the report still stands. */
export interface FailedPhase {
  error: string;
}

/** The single-host phases: `--only single` runs these alone. */
export interface SingleHostPhases {
  singleCold: PhaseResult;
  singleWarm: PhaseResult;
  /** `exec true` instead of a diagnosis: what the connection costs without the probe script. */
  transportCold: PhaseResult;
  transportWarm: PhaseResult;
}

export interface BenchPhases extends SingleHostPhases {
  fanoutCold: PhaseResult;
  fanoutWarm: PhaseResult;
  /** `sweep --all` over the same hosts, cold like fanoutCold (issue 11: within 2x of it). */
  sweep: PhaseResult;
  cli: ProcessPhaseResult | FailedPhase;
  parallelSsh: ProcessPhaseResult;
}

export interface Ratios {
  /** parallel-ssh p50 wall / portbot p50 wall, each over the same 50 hosts; null: not measured. */
  vsCli: number | null;
  vsInProcessCold: number;
  vsInProcessWarm: number;
  /** sweep p50 wall / diagnose --all (in-process cold) p50 wall, same hosts. */
  sweepVsDiagnose: number;
}

export function measured<T extends object>(p: T | FailedPhase): p is T {
  return !('error' in p);
}

export function ratios(p: BenchPhases): Ratios {
  const pssh = p.parallelSsh.wallMs.p50;
  return {
    vsCli: measured(p.cli) ? round(pssh / p.cli.wallMs.p50) : null,
    vsInProcessCold: round(pssh / p.fanoutCold.wallMs.p50),
    vsInProcessWarm: round(pssh / p.fanoutWarm.wallMs.p50),
    sweepVsDiagnose: round(p.sweep.wallMs.p50 / p.fanoutCold.wallMs.p50),
  };
}

export const ms = (v: number): string => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
export const x = (v: number): string => `${v.toFixed(2)}x`;
const pair = (a: number, b: number): string => `${ms(a)} | ${ms(b)}`;

export function info(metric: string, value: string): ReportRow {
  return { metric, value, target: '', pass: null };
}

export function check(
  metric: string,
  value: number,
  fmt: (v: number) => string,
  op: '<=' | '>=',
  limit: number,
): ReportRow {
  const pass = op === '<=' ? value <= limit : value >= limit;
  return { metric, value: fmt(value), target: `${op === '<=' ? '≤' : '≥'} ${fmt(limit)}`, pass };
}

/** The single-host rows: latency, transport alone, and CPU on both ends. */
export function singleHostRows(p: SingleHostPhases): ReportRow[] {
  const sc = p.singleCold;
  const sw = p.singleWarm;
  return [
    check('1 host cold p50 (new connection)', sc.wallMs.p50, ms, '<=', 80),
    info('1 host cold p95', ms(sc.wallMs.p95)),
    check('1 host warm p50 (pooled)', sw.wallMs.p50, ms, '<=', 20),
    info('1 host warm p95', ms(sw.wallMs.p95)),
    info(
      "1 host, exec 'true' only: p50 cold | warm",
      pair(p.transportCold.wallMs.p50, p.transportWarm.wallMs.p50),
    ),
    info(
      "1 host, exec 'true' only: remote CPU cold | warm",
      pair(p.transportCold.remoteCpuMsPerDiagnosis, p.transportWarm.remoteCpuMsPerDiagnosis),
    ),
    info(
      '1 host client CPU/diagnosis cold | warm',
      pair(sc.clientCpuMsPerHost, sw.clientCpuMsPerHost),
    ),
    info(
      '1 host remote CPU/diagnosis cold | warm',
      pair(sc.remoteCpuMsPerDiagnosis, sw.remoteCpuMsPerDiagnosis),
    ),
  ];
}

/**
 * The targets. The 3x target is judged on the like-for-like pair when it exists: a new
 * portbot process against a new parallel-ssh process, both cold, same hosts and script. If the
 * CLI could not be measured, on the in-process cold fan-out (and the row says so).
 */
export function reportRows(p: BenchPhases): ReportRow[] {
  const r = ratios(p);
  const n = p.fanoutCold.diagnoses / p.fanoutCold.runs;
  const cli = measured(p.cli) ? p.cli : undefined;
  const speedup =
    r.vsCli !== null
      ? check(`${n} hosts speed-up vs parallel-ssh (CLI, cold)`, r.vsCli, x, '>=', 3)
      : check(
          `${n} hosts speed-up vs parallel-ssh (in-process cold)`,
          r.vsInProcessCold,
          x,
          '>=',
          3,
        );
  const fc = p.fanoutCold;
  const fw = p.fanoutWarm;
  const ps = p.parallelSsh;
  return [
    ...singleHostRows(p),
    info(`${n} hosts in-process cold wall p50 | p95`, pair(fc.wallMs.p50, fc.wallMs.p95)),
    info(`${n} hosts in-process warm wall p50 | p95`, pair(fw.wallMs.p50, fw.wallMs.p95)),
    info(`${n} hosts portbot CLI wall p50`, cli ? ms(cli.wallMs.p50) : 'not measured'),
    info(`${n} hosts parallel-ssh wall p50`, ms(ps.wallMs.p50)),
    speedup,
    info(
      'speed-up vs parallel-ssh, in-process cold | warm',
      `${x(r.vsInProcessCold)} | ${x(r.vsInProcessWarm)}`,
    ),
    info(
      `${n} hosts sweep (in-process cold) wall p50 | p95`,
      pair(p.sweep.wallMs.p50, p.sweep.wallMs.p95),
    ),
    check(`${n} hosts sweep / diagnose --all (cold p50)`, r.sweepVsDiagnose, x, '<=', 2),
    info(
      'remote CPU/host, sweep | diagnosis (cold)',
      pair(p.sweep.remoteCpuMsPerDiagnosis, fc.remoteCpuMsPerDiagnosis),
    ),
    info('client CPU/host, in-process cold', ms(fc.clientCpuMsPerHost)),
    check('client CPU/host, in-process warm', fw.clientCpuMsPerHost, ms, '<=', 1),
    info(
      'client CPU/host, CLI | parallel-ssh',
      `${cli ? ms(cli.clientCpuMsPerHost) : '-'} | ${ms(ps.clientCpuMsPerHost)}`,
    ),
    info(
      'remote CPU/diagnosis, fan-out cold | warm',
      pair(fc.remoteCpuMsPerDiagnosis, fw.remoteCpuMsPerDiagnosis),
    ),
    info(
      'remote CPU/diagnosis, CLI | parallel-ssh',
      `${cli ? ms(cli.remoteCpuMsPerDiagnosis) : '-'} | ${ms(ps.remoteCpuMsPerDiagnosis)}`,
    ),
  ];
}

export function formatTable(rows: readonly ReportRow[]): string {
  const cells = rows.map((r) => [
    r.metric,
    r.value,
    r.target,
    r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const head = ['metric', 'value', 'target', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
