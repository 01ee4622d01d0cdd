import { summarize, type Summary } from '../stats';
import {
  alertTargets,
  outcomeOf,
  postAlertTo,
  type AlertTarget,
  type BenchHost,
} from './alertTargets';
import type { KeepAliveClient } from './keepAliveClient';
import type { ThreadTrace } from './SlackCallTracker';
import type { ServiceStack } from './startServiceStack';

export interface LatencyResult {
  incidents: number;
  warmupIncidents: number;
  hosts: string[];
  /** t0 just before the POST → the chat.update that puts the verdict on the root. */
  alertToDiagnosisMs: Summary;
  /** POST → 202 answer (serve: parse, Redis incident script, queue add). */
  postToAckMs: Summary;
  /** POST → root "diagnosing…" message posted by the worker. */
  postToRootMs: Summary;
  /** root posted → diagnosis posted (SSH diagnosis, Redis reads, render, chat.update). */
  rootToDiagnosisMs: Summary;
  /** The SSH diagnosis alone, as the worker timed it (footer "diagnosed in N ms"); null: not shown. */
  workerDiagnosisMs: Summary | null;
  /** diagnosis posted → evidence reply posted. */
  diagnosisToEvidenceMs: Summary;
  verdicts: Record<string, number>;
}

const PER_INCIDENT_TIMEOUT_MS = 15_000;
/** Lets the worker finish the job's bookkeeping, so each incident meets an idle service. */
const GAP_MS = 25;

async function fireAndTrace(
  stack: ServiceStack,
  client: KeepAliveClient,
  target: AlertTarget,
): Promise<{ t0: number; ackAt: number; trace: ThreadTrace }> {
  const servePort = stack.serves[0]?.port ?? 0;
  const t0 = performance.now();
  const res = await postAlertTo(client, servePort, target);
  const ackAt = performance.now();
  const outcome = outcomeOf(res);
  if (res.status !== 202 || outcome !== 'opened') {
    throw new Error(
      `alert for ${target.key} answered ${res.status} ${outcome ?? res.body.slice(0, 200)}`,
    );
  }
  const trace = await stack.standIn
    .waitFor(() => {
      const t = stack.tracker.first(target.key);
      return t?.diagnosedAt !== undefined && t.evidenceAt !== undefined ? t : undefined;
    }, PER_INCIDENT_TIMEOUT_MS)
    .catch(() => {
      const t = stack.tracker.first(target.key);
      throw new Error(
        `${target.key}: no diagnosis and evidence in the stand-in within ${PER_INCIDENT_TIMEOUT_MS} ms (root ${t ? 'posted' : 'never posted'})`,
      );
    });
  if (trace.verdict === 'unreachable')
    throw new Error(`${target.key} could not be diagnosed (unreachable): the lab host is down`);
  await new Promise((r) => setTimeout(r, GAP_MS));
  return { t0, ackAt, trace };
}

/**
 * Alert received → diagnosis posted, one incident at a time on a warm service: the worker's
 * SSH pool already holds a connection to every host (warm-up incidents first).
 */
export async function measureAlertLatency(
  stack: ServiceStack,
  client: KeepAliveClient,
  hosts: readonly BenchHost[],
  opts: { incidents: number; warmupPerHost: number; firstPort: number },
): Promise<LatencyResult> {
  const warmups = alertTargets(hosts, opts.firstPort, hosts.length * opts.warmupPerHost);
  for (const t of warmups) await fireAndTrace(stack, client, t);
  const measured = alertTargets(hosts, opts.firstPort + warmups.length, opts.incidents);
  const rows: { t0: number; ackAt: number; trace: ThreadTrace }[] = [];
  for (const t of measured) rows.push(await fireAndTrace(stack, client, t));
  const verdicts: Record<string, number> = {};
  for (const { trace } of rows) {
    const v = trace.verdict ?? 'unknown';
    verdicts[v] = (verdicts[v] ?? 0) + 1;
  }
  const of = (f: (r: (typeof rows)[number], t: Required<ThreadTrace>) => number): Summary =>
    summarize(rows.map((r) => f(r, r.trace as Required<ThreadTrace>)));
  return {
    incidents: rows.length,
    warmupIncidents: warmups.length,
    hosts: hosts.map((h) => h.name),
    alertToDiagnosisMs: of((r, t) => t.diagnosedAt - r.t0),
    postToAckMs: of((r) => r.ackAt - r.t0),
    postToRootMs: of((r, t) => t.rootAt - r.t0),
    rootToDiagnosisMs: of((_, t) => t.diagnosedAt - t.rootAt),
    workerDiagnosisMs: summarizeSome(rows.map((r) => r.trace.diagnosisMs)),
    diagnosisToEvidenceMs: of((_, t) => t.evidenceAt - t.diagnosedAt),
    verdicts,
  };
}

function summarizeSome(values: readonly (number | undefined)[]): Summary | null {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length > 0 ? summarize(known) : null;
}
