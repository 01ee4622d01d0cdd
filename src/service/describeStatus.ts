import type { IncidentStore } from '../incidents/Incident';
import type { JobQueue } from '../queue/JobQueue';

/** The text of `/port status`. */
export async function describeStatus(incidents: IncidentStore, queue: JobQueue): Promise<string> {
  const [open, counts] = await Promise.all([incidents.countOpen(), queue.counts()]);
  const n = (k: string) => counts[k] ?? 0;
  return (
    `${open} open incident${open === 1 ? '' : 's'}; diagnoses: ${n('diagnose_waiting') + n('diagnose_delayed')} queued, ` +
    `${n('diagnose_active')} running, ${n('diagnose_failed')} failed`
  );
}
