import type { PhaseResult } from './BenchContext';
import type { FarRoundTrips } from './farRoundTrips';
import type { ProcessPhaseResult } from './measureProcesses';
import { check, info, measured, ms, x, type FailedPhase, type ReportRow } from './reportTable';
import { round } from './stats';

type WithRoundTrips<T> = T & { roundTrips: FarRoundTrips };

export interface FarPhases {
  fanoutCold: WithRoundTrips<PhaseResult>;
  fanoutWarm: WithRoundTrips<PhaseResult>;
  cli: WithRoundTrips<ProcessPhaseResult> | FailedPhase;
  /** parallel-ssh with TUNED_OPENSSH_OPTIONS, a new connection per host and run. */
  openSshCold: WithRoundTrips<ProcessPhaseResult>;
  /** The same through OpenSSH masters opened by an unmeasured first run (ControlMaster). */
  openSshWarm: WithRoundTrips<ProcessPhaseResult>;
}

const line = (p: { wallMs: { p50: number; p95: number }; roundTrips: FarRoundTrips }): string =>
  `${ms(p.wallMs.p50)} | ${ms(p.wallMs.p95)} | ${p.roundTrips.perDiagnosis}`;

/**
 * The far targets, both against tuned OpenSSH cold (what parallel-ssh does): portbot
 * warm ≥ 3x, portbot cold ≥ 1.2x (judged on the CLI, a new process like parallel-ssh; on the
 * in-process cold fan-out when the CLI could not be measured). Warm against OpenSSH's own
 * multiplexed warm is shown beside them.
 */
export function farReportRows(p: FarPhases): ReportRow[] {
  const n = p.fanoutCold.diagnoses / p.fanoutCold.runs;
  const tuned = p.openSshCold.wallMs.p50;
  const cli = measured(p.cli) ? p.cli : undefined;
  const cold = cli ?? p.fanoutCold;
  const coldName = cli ? 'CLI' : 'in-process';
  return [
    info(`far ${n} hosts (50 ms RTT): wall p50 | p95 | round trips/diagnosis`, ''),
    info('  portbot in-process cold', line(p.fanoutCold)),
    info('  portbot in-process warm (pooled)', line(p.fanoutWarm)),
    info(
      '  portbot CLI (new process, cold)',
      measured(p.cli) ? line(p.cli) : `not measured: ${p.cli.error}`,
    ),
    info('  tuned OpenSSH cold (parallel-ssh)', line(p.openSshCold)),
    info('  tuned OpenSSH warm (ControlMaster)', line(p.openSshWarm)),
    check(
      `far ${n} hosts: portbot warm vs tuned OpenSSH cold`,
      round(tuned / p.fanoutWarm.wallMs.p50),
      x,
      '>=',
      3,
    ),
    check(
      `far ${n} hosts: portbot cold (${coldName}) vs tuned OpenSSH cold`,
      round(tuned / cold.wallMs.p50),
      x,
      '>=',
      1.2,
    ),
    info(
      `far ${n} hosts: portbot warm vs tuned OpenSSH warm (ControlMaster)`,
      x(round(p.openSshWarm.wallMs.p50 / p.fanoutWarm.wallMs.p50)),
    ),
  ];
}
