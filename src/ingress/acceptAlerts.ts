import pLimit from 'p-limit';
import type { Inventory } from '../domain/HostConfig';
import type { Log } from '../domain/Log';
import type { RecordAudit } from '../audit/recordAudit';
import type { IncidentStore } from '../incidents/Incident';
import type { JobQueue } from '../queue/JobQueue';
import type { AlertEvent } from './alerts/AlertEvent';
import type { AlertMapping } from '../config/AlertMappingSchema';
import type { TokenBucket } from '../domain/TokenBucket';
import type { HeldTarget } from '../heldAlerts/HeldSummary';
import type { AnnounceHeld } from './announceHeld';
import { MAX_ALERTS_PER_PAYLOAD } from './alerts/alertLimits';
import { mapAlertTarget, type AlertTargetResult } from './alerts/mapAlertTarget';
import { summarizeIgnored, type SetAside } from './alerts/summarizeIgnored';

const ALERTS_IN_FLIGHT = 16;

export interface AcceptAlertsDeps {
  incidents: IncidentStore;
  queue: JobQueue;
  inventory: Inventory;
  mapping: AlertMapping;
  channel: string;
  rediagnoseIntervalMs: number;
  now: () => number;
  log: Log;
  audit: RecordAudit;
  onOutcome?: (source: string, outcome: AlertOutcomeKind) => void;
  /**
   * At most `perMinute` NEW incidents per alert source, shared by every serve (Redis). What it
   * holds back is audited and, with `announce`, summed up in one channel message per minute.
   */
  newIncidentCap?: { bucket: TokenBucket; perMinute: number; announce?: AnnounceHeld };
}

export type AlertOutcomeKind = 'opened' | 'repeat' | 'rediagnose' | 'resolved' | 'ignored' | 'held';

export interface AlertResult {
  outcome: AlertOutcomeKind;
  host?: string;
  port?: number;
  incidentId?: string;
  reason?: string;
}

/**
 * One incident per (host, port): the first firing opens it and queues a diagnosis, repeats
 * bump the counter (and re-diagnose at most once per interval), a resolution closes it.
 */
export async function acceptAlerts(
  deps: AcceptAlertsDeps,
  events: readonly AlertEvent[],
): Promise<AlertResult[]> {
  // Alerts about one host:port run in payload order (a firing then its resolution must not
  // swap); different targets run side by side, a bounded number at once.
  const results = new Array<AlertResult>(events.length);
  const setAside: SetAside[] = [];
  const held: HeldTarget[] = [];
  const byTarget = new Map<
    string,
    { event: AlertEvent; target: Extract<AlertTargetResult, { ok: true }>; index: number }[]
  >();
  events.forEach((event, index) => {
    const target: AlertTargetResult =
      index < MAX_ALERTS_PER_PAYLOAD
        ? mapAlertTarget(event, deps.inventory, deps.mapping)
        : { ok: false, reason: `over the cap of ${MAX_ALERTS_PER_PAYLOAD} alerts per payload` };
    if (!target.ok) {
      results[index] = { outcome: 'ignored', reason: target.reason };
      setAside.push({ reason: target.reason, fingerprint: event.fingerprint });
      deps.onOutcome?.(event.source, 'ignored');
      return;
    }
    const key = `${target.host}:${target.port}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), { event, target, index }]);
  });
  const limit = pLimit(ALERTS_IN_FLIGHT);
  await Promise.all(
    [...byTarget.values()].map((items) =>
      limit(async () => {
        for (const { event, target, index } of items)
          results[index] = await acceptOne(deps, event, target, held);
      }),
    ),
  );
  const source = events[0]?.source;
  if (source !== undefined) {
    await auditSetAside(deps, source, 'alert.ignored', setAside);
    await auditSetAside(
      deps,
      source,
      'alert.held',
      held.map((t) => ({ reason: heldReason(deps), fingerprint: `${t.host}:${t.port}` })),
    );
    const cap = deps.newIncidentCap;
    if (held.length > 0 && cap?.announce) {
      await cap.announce({
        source,
        channel: deps.channel,
        perMinute: cap.perMinute,
        atMs: deps.now(),
        targets: held,
      });
    }
  }
  return results;
}

function heldReason(deps: AcceptAlertsDeps): string {
  return `over the cap of ${deps.newIncidentCap?.perMinute} new incidents per minute`;
}

/** One audit entry and one warn line per payload for all the alerts of one kind set aside. */
async function auditSetAside(
  deps: AcceptAlertsDeps,
  source: string,
  type: 'alert.ignored' | 'alert.held',
  items: readonly SetAside[],
): Promise<void> {
  if (items.length === 0) return;
  const summary = summarizeIgnored(items);
  // Held alerts are named by their target (host:port), the ones ignored by their fingerprint.
  const detail =
    type === 'alert.held'
      ? {
          count: summary.count ?? null,
          reasons: summary.reasons ?? null,
          targets: summary.fingerprints ?? null,
        }
      : summary;
  deps.log.warn({ source, type, ...detail }, 'alerts set aside');
  await deps.audit({ type, actor: source, incidentId: null, host: null, port: null, detail });
}

/**
 * Whether a firing for a target with no open incident may open one now. A repeat never counts;
 * two serves racing on one new target may each take a token (the cap errs on the safe side).
 */
async function mayOpen(
  deps: AcceptAlertsDeps,
  source: string,
  host: string,
  port: number,
): Promise<boolean> {
  const cap = deps.newIncidentCap;
  if (cap === undefined || (await deps.incidents.hasOpen(host, port))) return true;
  const wait = await cap.bucket.reserve(
    `new-incidents:${source}`,
    { perSecond: cap.perMinute / 60, burst: cap.perMinute },
    0,
  );
  return wait !== null;
}

async function acceptOne(
  deps: AcceptAlertsDeps,
  event: AlertEvent,
  target: Extract<AlertTargetResult, { ok: true }>,
  held: HeldTarget[],
): Promise<AlertResult> {
  const { host, port } = target;
  if (event.status === 'resolved') {
    const r = await deps.incidents.recordResolved({ host, port, now: deps.now() });
    if (r.kind === 'not-open')
      return report(deps, event, { outcome: 'ignored', host, port, reason: 'no open incident' });
    await deps.queue.enqueueRefreshRoot(r.incident.id);
    return report(deps, event, { outcome: 'resolved', host, port, incidentId: r.incident.id });
  }
  if (!(await mayOpen(deps, event.source, host, port))) {
    held.push({ host, port });
    deps.onOutcome?.(event.source, 'held');
    return { outcome: 'held', host, port, reason: heldReason(deps) };
  }
  const r = await deps.incidents.recordFiring({
    host,
    port,
    channel: deps.channel,
    summary: event.summary,
    now: deps.now(),
    rediagnoseIntervalMs: deps.rediagnoseIntervalMs,
  });
  const incidentId = r.incident.id;
  if (r.kind === 'opened') {
    await deps.queue.enqueueDiagnose(incidentId, { first: true });
    return report(deps, event, { outcome: 'opened', host, port, incidentId });
  }
  // No root yet: the first diagnosis is queued or running, or its enqueue failed and the sender
  // is retrying. Asking for it again is idempotent (fixed job id) and repairs the last case.
  if (r.incident.rootTs === null) await deps.queue.enqueueDiagnose(incidentId, { first: true });
  if (r.diagnose) {
    await deps.queue.enqueueDiagnose(incidentId);
    return report(deps, event, { outcome: 'rediagnose', host, port, incidentId });
  }
  await deps.queue.enqueueRefreshRoot(incidentId);
  return report(deps, event, { outcome: 'repeat', host, port, incidentId });
}

async function report(
  deps: AcceptAlertsDeps,
  event: AlertEvent,
  result: AlertResult,
): Promise<AlertResult> {
  deps.onOutcome?.(event.source, result.outcome);
  // Plain repeats are counted on the incident; everything that changes state is audited.
  if (result.outcome !== 'repeat') {
    await deps.audit({
      type: result.outcome === 'ignored' ? 'alert.ignored' : `alert.${result.outcome}`,
      actor: event.source,
      incidentId: result.incidentId ?? null,
      host: result.host ?? null,
      port: result.port ?? null,
      detail: {
        status: event.status,
        summary: event.summary.slice(0, 300),
        fingerprint: event.fingerprint,
        reason: result.reason ?? null,
      },
    });
  }
  return result;
}
