import type { PhaseResult } from './BenchContext';
import { peerRatios, peerRows, type PeerPhases, type PeerRatios } from './peerReportRows';
import { check, info, ms, x, type ReportRow } from './reportTable';
import { round } from './stats';

/** The single-host phases: `--only single` runs these alone. */
export interface SingleHostPhases {
  singleCold: PhaseResult;
  singleWarm: PhaseResult;
  /** `exec true` instead of a diagnosis: what the connection costs without the probe script. */
  transportCold: PhaseResult;
  transportWarm: PhaseResult;
}

export interface BenchPhases extends PeerPhases, SingleHostPhases {
  fanoutCold: PhaseResult;
  fanoutWarm: PhaseResult;
  /** `sweep --all` over the same hosts, cold like fanoutCold (issue 11: within 2x of it). */
  sweep: PhaseResult;
}

export interface Ratios extends PeerRatios {
  /** parallel-ssh (OpenSSH defaults) p50 wall / portbot in-process p50 wall, same 50 hosts. */
  vsInProcessCold: number;
  vsInProcessWarm: number;
  /** sweep p50 wall / diagnose --all (in-process cold) p50 wall, same hosts. */
  sweepVsDiagnose: number;
}

export function ratios(p: BenchPhases): Ratios {
  const pssh = p.parallelSsh.wallMs.p50;
  return {
    ...peerRatios(p),
    vsInProcessCold: round(pssh / p.fanoutCold.wallMs.p50),
    vsInProcessWarm: round(pssh / p.fanoutWarm.wallMs.p50),
    sweepVsDiagnose: round(p.sweep.wallMs.p50 / p.fanoutCold.wallMs.p50),
  };
}

const pair = (a: number, b: number): string => `${ms(a)} | ${ms(b)}`;

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

/** The SSH part's table: single host, fan-outs, sweep, then the peers (peerReportRows.ts). */
export function reportRows(p: BenchPhases): ReportRow[] {
  const r = ratios(p);
  const n = p.fanoutCold.diagnoses / p.fanoutCold.runs;
  const fc = p.fanoutCold;
  const fw = p.fanoutWarm;
  return [
    ...singleHostRows(p),
    info(`${n} hosts in-process cold wall p50 | p95`, pair(fc.wallMs.p50, fc.wallMs.p95)),
    info(`${n} hosts in-process warm wall p50 | p95`, pair(fw.wallMs.p50, fw.wallMs.p95)),
    ...peerRows(p),
    info(
      'parallel-ssh default vs in-process cold | warm',
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
      'remote CPU/diagnosis, fan-out cold | warm',
      pair(fc.remoteCpuMsPerDiagnosis, fw.remoteCpuMsPerDiagnosis),
    ),
  ];
}
