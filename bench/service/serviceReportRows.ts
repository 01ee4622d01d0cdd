import type { FailedPhase, ReportRow } from '../reportTable';
import type { LatencyResult } from './measureAlertLatency';
import type { StormResult } from './measureAlertStorm';
import type { BaselineResult } from './measureIntakeBaseline';

export interface ServiceBenchResult {
  config: Record<string, unknown>;
  latency: LatencyResult;
  /** The storm against the bare intake floor, measured in the same run. */
  baseline: BaselineResult | FailedPhase;
  storm: StormResult;
  /** The same storm spread over two serve processes; absent when the first storm did not settle. */
  stormTwoServes: StormResult | FailedPhase | null;
}

/** The service targets (exactly as stated there). */
export const SERVICE_TARGETS = {
  latencyP50Ms: 100,
  acceptedPerSec: 2000,
  /** portbot's accepted alerts/s as a share of the bare floor's (issue 12 item 7). */
  shareOfBaseline: 0.5,
} as const;

const ms = (v: number): string => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
const info = (metric: string, value: string): ReportRow => ({
  metric,
  value,
  target: '',
  pass: null,
});
const row = (metric: string, value: string, target: string, pass: boolean): ReportRow => ({
  metric,
  value,
  target,
  pass,
});

function stormRows(s: StormResult): ReportRow[] {
  const tag = `storm, ${s.serveProcesses} serve${s.serveProcesses > 1 ? 's' : ''}`;
  const non202 = s.alerts - (s.statuses['202'] ?? 0);
  const n = s.incidents;
  const cpu = Object.entries(s.cpuDuringSend)
    .map(([k, v]) => `${k} ${Math.round(v)}%`)
    .join(' · ');
  return [
    row(
      `${tag}: ${s.alerts.toLocaleString('en-US')} alerts accepted/s`,
      `${Math.round(s.acceptedPerSec)}/s`,
      `≥ ${SERVICE_TARGETS.acceptedPerSec}/s`,
      s.acceptedPerSec >= SERVICE_TARGETS.acceptedPerSec,
    ),
    row(`${tag}: answers other than 202`, String(non202), '= 0', non202 === 0),
    row(`${tag}: threads for ${n} incidents`, String(s.threads), `= ${n}`, s.threads === n),
    row(
      `${tag}: root posts + evidence replies`,
      `${s.rootPosts} + ${s.evidenceReplies}`,
      `= ${n} + ${n}`,
      s.rootPosts === n && s.evidenceReplies === n,
    ),
    row(
      `${tag}: chat.update calls`,
      String(s.rootUpdates),
      `≤ ${s.updateBound} (dedup)`,
      s.rootUpdates <= s.updateBound,
    ),
    row(
      `${tag}: roots showing the right counter`,
      String(s.countersMatching),
      `= ${n}`,
      s.countersMatching === n,
    ),
    info(
      `${tag}: send time | drain after last 202`,
      `${ms(s.sendMs)} | ${s.drainMs === null ? 'did not settle' : ms(s.drainMs)}`,
    ),
    info(
      `${tag}: request p50 | p95 (${s.concurrency} in flight)`,
      `${ms(s.requestMs.p50)} | ${ms(s.requestMs.p95)}`,
    ),
    info(`${tag}: CPU during send (% of a core)`, cpu),
    info(
      `${tag}: CPU ms per alert`,
      Object.entries(s.cpuMsPerAlert)
        .filter(([k]) => k !== 'softirq' && k !== 'steal')
        .map(([k, v]) => `${k} ${v.toFixed(3)}`)
        .join(' · '),
    ),
    info(
      `${tag}: Redis calls per alert (busiest)`,
      Object.entries(s.redisPerAlert)
        .slice(0, 4)
        .map(([k, v]) => `${k} ×${v.calls}`)
        .join(' · '),
    ),
    info(`${tag}: failed Slack calls | failed jobs`, `${s.failedSlackCalls} | ${s.failedJobs}`),
  ];
}

function baselineRows(b: BaselineResult | FailedPhase, s: StormResult): ReportRow[] {
  const metric = 'storm, 1 serve: accepted/s as a share of the bare floor (node:http + 1 EVALSHA)';
  const target = `≥ ${SERVICE_TARGETS.shareOfBaseline}, exact dedup`;
  if ('error' in b) return [row(metric, `not measured: ${b.error}`, target, false)];
  const share = b.acceptedPerSec > 0 ? s.acceptedPerSec / b.acceptedPerSec : 0;
  const exact = s.threads === s.incidents && s.countersMatching === s.incidents;
  return [
    info(
      `bare floor: ${b.alerts.toLocaleString('en-US')} alerts accepted/s (${b.concurrency} in flight)`,
      `${Math.round(b.acceptedPerSec)}/s, opened ${b.outcomes['opened'] ?? 0}, non-202 ${b.alerts - (b.statuses['202'] ?? 0)}`,
    ),
    row(
      metric,
      `${share.toFixed(2)} (${Math.round(s.acceptedPerSec)}/s of ${Math.round(b.acceptedPerSec)}/s)`,
      target,
      share >= SERVICE_TARGETS.shareOfBaseline && exact,
    ),
  ];
}

export function serviceReportRows(r: ServiceBenchResult | FailedPhase): ReportRow[] {
  if ('error' in r) {
    return [
      row(
        'service: alert → diagnosis posted p50',
        'not measured',
        `≤ ${ms(SERVICE_TARGETS.latencyP50Ms)}`,
        false,
      ),
      row(
        'service: alert storm accepted/s',
        'not measured',
        `≥ ${SERVICE_TARGETS.acceptedPerSec}/s`,
        false,
      ),
      row(
        'service: storm accepted/s as a share of the bare floor',
        'not measured',
        `≥ ${SERVICE_TARGETS.shareOfBaseline}`,
        false,
      ),
    ];
  }
  const l = r.latency;
  const two = r.stormTwoServes;
  return [
    row(
      `alert → diagnosis posted p50 (warm, ${l.incidents} incidents)`,
      ms(l.alertToDiagnosisMs.p50),
      `≤ ${ms(SERVICE_TARGETS.latencyP50Ms)}`,
      l.alertToDiagnosisMs.p50 <= SERVICE_TARGETS.latencyP50Ms,
    ),
    info('alert → diagnosis posted p95', ms(l.alertToDiagnosisMs.p95)),
    info(
      'split p50: POST → 202 | POST → root posted',
      `${ms(l.postToAckMs.p50)} | ${ms(l.postToRootMs.p50)}`,
    ),
    info(
      'split p50: root → diagnosis posted | of it SSH diagnosis',
      `${ms(l.rootToDiagnosisMs.p50)} | ${l.workerDiagnosisMs ? ms(l.workerDiagnosisMs.p50) : '-'}`,
    ),
    info(
      'split p95: POST → root | root → diagnosis',
      `${ms(l.postToRootMs.p95)} | ${ms(l.rootToDiagnosisMs.p95)}`,
    ),
    ...baselineRows(r.baseline, r.storm),
    ...stormRows(r.storm),
    ...(two === null
      ? []
      : 'error' in two
        ? [info('storm, 2 serves', `not measured: ${two.error}`)]
        : stormRows(two)),
  ];
}
