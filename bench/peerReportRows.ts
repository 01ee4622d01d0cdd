import type { PhaseResult } from './BenchContext';
import type { AnsiblePhaseResult } from './measureAnsible';
import type { ProcessPhaseResult } from './measureProcesses';
import { check, info, measured, ms, x, type FailedPhase, type ReportRow } from './reportTable';
import { round } from './stats';

/** Issue 12 item 2: the portbot CLI (cold) against parallel-ssh with OpenSSH's defaults. */
export const VS_PSSH_DEFAULT = 2;
/** ... against parallel-ssh with TUNED_OPENSSH_OPTIONS. */
export const VS_PSSH_TUNED = 1.2;
/** ... and portbot's pooled fan-out against Ansible ad-hoc over ControlPersist masters. */
export const VS_ANSIBLE_WARM = 3;

/** What the peer comparison needs; the full SSH part adds the in-process cold fan-out. */
export interface PeerPhases {
  fanoutWarm: PhaseResult;
  cli: ProcessPhaseResult | FailedPhase;
  parallelSsh: ProcessPhaseResult;
  parallelSshTuned: ProcessPhaseResult;
  ansibleWarm: AnsiblePhaseResult | FailedPhase;
  /** Stands in for the CLI in the first two targets when the CLI could not be measured. */
  fanoutCold?: PhaseResult;
}

/** Peer p50 wall / portbot p50 wall over the same hosts and script; null: not measured. */
export interface PeerRatios {
  cliVsParallelSsh: number | null;
  cliVsParallelSshTuned: number | null;
  warmVsAnsibleWarm: number | null;
}

export function peerRatios(p: PeerPhases): PeerRatios {
  const cli = measured(p.cli) ? p.cli.wallMs.p50 : null;
  return {
    cliVsParallelSsh: cli === null ? null : round(p.parallelSsh.wallMs.p50 / cli),
    cliVsParallelSshTuned: cli === null ? null : round(p.parallelSshTuned.wallMs.p50 / cli),
    warmVsAnsibleWarm: measured(p.ansibleWarm)
      ? round(p.ansibleWarm.wallMs.p50 / p.fanoutWarm.wallMs.p50)
      : null,
  };
}

function notMeasured(metric: string, why: string, limit: number): ReportRow {
  return { metric, value: `not measured: ${why}`, target: `≥ ${x(limit)}`, pass: null };
}

/**
 * The cold targets are judged on the like-for-like pair: a new portbot process against a new
 * parallel-ssh process, both cold. If the CLI could not be measured, on the in-process cold
 * fan-out when there is one (the row says so).
 */
function coldTarget(p: PeerPhases, peer: ProcessPhaseResult, label: string, limit: number) {
  const n = p.parallelSsh.diagnoses / p.parallelSsh.runs;
  if (measured(p.cli))
    return check(
      `${n} hosts CLI cold vs ${label}`,
      peer.wallMs.p50 / p.cli.wallMs.p50,
      x,
      '>=',
      limit,
    );
  if (p.fanoutCold)
    return check(
      `${n} hosts in-process cold vs ${label} (CLI not measured)`,
      peer.wallMs.p50 / p.fanoutCold.wallMs.p50,
      x,
      '>=',
      limit,
    );
  return notMeasured(`${n} hosts CLI cold vs ${label}`, 'portbot CLI failed', limit);
}

export function peerRows(p: PeerPhases): ReportRow[] {
  const n = p.parallelSsh.diagnoses / p.parallelSsh.runs;
  const cli = measured(p.cli) ? p.cli : undefined;
  const ans = measured(p.ansibleWarm) ? p.ansibleWarm : undefined;
  const ps = p.parallelSsh;
  const pt = p.parallelSshTuned;
  const four = (f: (r: ProcessPhaseResult) => number): string =>
    [cli, ps, pt, ans].map((r) => (r ? ms(f(r)) : '-')).join(' | ');
  const warmTarget = ans
    ? check(
        `${n} hosts portbot warm (pooled) vs Ansible warm`,
        ans.wallMs.p50 / p.fanoutWarm.wallMs.p50,
        x,
        '>=',
        VS_ANSIBLE_WARM,
      )
    : notMeasured(
        `${n} hosts portbot warm (pooled) vs Ansible warm`,
        measured(p.ansibleWarm) ? '' : p.ansibleWarm.error.slice(0, 120),
        VS_ANSIBLE_WARM,
      );
  return [
    info(
      `${n} hosts wall p50: portbot CLI | pssh default | pssh tuned`,
      `${cli ? ms(cli.wallMs.p50) : 'not measured'} | ${ms(ps.wallMs.p50)} | ${ms(pt.wallMs.p50)}`,
    ),
    coldTarget(p, ps, 'parallel-ssh default', VS_PSSH_DEFAULT),
    coldTarget(p, pt, 'parallel-ssh tuned', VS_PSSH_TUNED),
    info(
      `${n} hosts wall p50: portbot warm (in-process) | Ansible warm`,
      `${ms(p.fanoutWarm.wallMs.p50)} | ${ans ? ms(ans.wallMs.p50) : 'not measured'}`,
    ),
    warmTarget,
    info(
      'client CPU/host: CLI | pssh default | pssh tuned | Ansible warm',
      four((r) => r.clientCpuMsPerHost),
    ),
    info(
      'remote CPU/host: CLI | pssh default | pssh tuned | Ansible warm',
      four((r) => r.remoteCpuMsPerDiagnosis),
    ),
  ];
}
