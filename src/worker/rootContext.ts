import type { Incident } from '../incidents/Incident';
import { formatDuration } from '../render/formatDuration';

/** What the root message shows besides the diagnosis: counter and resolution. */
export function rootContext(incident: Incident): {
  incidentId: string;
  alertCount: number;
  resolvedAt?: string;
  durationText?: string;
} {
  const base = { incidentId: incident.id, alertCount: incident.alertCount };
  if (incident.status !== 'resolved' || incident.resolvedAt === null) return base;
  return {
    ...base,
    resolvedAt: new Date(incident.resolvedAt).toISOString(),
    durationText: formatDuration(incident.resolvedAt - incident.openedAt),
  };
}
