import type { Inventory } from '../domain/HostConfig';
import type { Log } from '../domain/Log';
import type { IncidentStore } from '../incidents/Incident';
import type { JobQueue } from '../queue/JobQueue';
import type { AlertEvent } from './alerts/AlertEvent';
import type { AlertMapping } from './alerts/AlertMappingSchema';
import { mapAlertTarget } from './alerts/mapAlertTarget';

export interface AcceptAlertsDeps {
  incidents: IncidentStore;
  queue: JobQueue;
  inventory: Inventory;
  mapping: AlertMapping;
  channel: string;
  rediagnoseIntervalMs: number;
  now: () => number;
  log: Log;
  onOutcome?: (source: string, outcome: AlertOutcomeKind) => void;
}

export type AlertOutcomeKind = 'opened' | 'repeat' | 'rediagnose' | 'resolved' | 'ignored';

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
  return Promise.all(events.map((e) => acceptOne(deps, e)));
}

async function acceptOne(deps: AcceptAlertsDeps, event: AlertEvent): Promise<AlertResult> {
  const target = mapAlertTarget(event, deps.inventory, deps.mapping);
  if (!target.ok) {
    deps.log.warn(
      { source: event.source, reason: target.reason, fingerprint: event.fingerprint },
      'alert ignored',
    );
    return report(deps, event, { outcome: 'ignored', reason: target.reason });
  }
  const { host, port } = target;
  if (event.status === 'resolved') {
    const r = await deps.incidents.recordResolved({ host, port, now: deps.now() });
    if (r.kind === 'not-open')
      return report(deps, event, { outcome: 'ignored', host, port, reason: 'no open incident' });
    await deps.queue.enqueueRefreshRoot(r.incident.id);
    return report(deps, event, { outcome: 'resolved', host, port, incidentId: r.incident.id });
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
    await deps.queue.enqueueDiagnose(incidentId);
    return report(deps, event, { outcome: 'opened', host, port, incidentId });
  }
  if (r.diagnose) {
    await deps.queue.enqueueDiagnose(incidentId);
    return report(deps, event, { outcome: 'rediagnose', host, port, incidentId });
  }
  await deps.queue.enqueueRefreshRoot(incidentId);
  return report(deps, event, { outcome: 'repeat', host, port, incidentId });
}

function report(deps: AcceptAlertsDeps, event: AlertEvent, result: AlertResult): AlertResult {
  deps.onOutcome?.(event.source, result.outcome);
  return result;
}
