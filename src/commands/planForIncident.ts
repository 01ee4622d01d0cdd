import type { Incident } from '../incidents/Incident';
import type { RemediationAction, RemediationPlan } from '../remediation/RemediationPlan';
import type { RemediationFlowDeps } from './RemediationFlowDeps';

export type IncidentPlan =
  | { ok: true; incident: Incident & { rootTs: string }; plan: RemediationPlan }
  | { ok: false; message: string };

/**
 * Re-reads the incident and plans afresh from the hosts as they are now: nothing a button or a
 * modal carried is trusted beyond the incident id and the action. Without a healthy HA peer the
 * plan comes back as the outage plan, which only the louder outage button can approve.
 */
export async function planForIncident(
  deps: Pick<RemediationFlowDeps, 'incidents' | 'plan'>,
  incidentId: string,
  action: RemediationAction,
): Promise<IncidentPlan> {
  const incident = await deps.incidents.get(incidentId);
  const diagnosis = incident ? await deps.incidents.getDiagnosis(incidentId) : null;
  if (!incident || incident.rootTs === null || !diagnosis) {
    return { ok: false, message: 'this incident has expired: run `/port check` again' };
  }
  let planned = await deps.plan(incident.host, incident.port, action, { acceptOutage: false });
  if (
    planned.kind === 'planned' &&
    !planned.result.ok &&
    planned.result.code === 'no-healthy-peer'
  ) {
    planned = await deps.plan(incident.host, incident.port, action, { acceptOutage: true });
  }
  if (planned.kind === 'undiagnosable') {
    const down = planned.diagnoses.filter((d) => d.verdict === 'unreachable').map((d) => d.host);
    return {
      ok: false,
      message: `cannot plan: ${down.join(', ') || 'a host'} could not be diagnosed`,
    };
  }
  if (!planned.result.ok) {
    return { ok: false, message: `refused (${planned.result.code}): ${planned.result.reason}` };
  }
  return {
    ok: true,
    incident: { ...incident, rootTs: incident.rootTs },
    plan: planned.result.plan,
  };
}
