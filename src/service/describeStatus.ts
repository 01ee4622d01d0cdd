import type { IncidentStore } from '../incidents/Incident';
import type { JobQueue } from '../queue/JobQueue';

/** The text of `/port status`. */
export async function describeStatus(incidents: IncidentStore, queue: JobQueue): Promise<string> {
  const [open, counts] = await Promise.all([incidents.countOpen(), queue.counts()]);
  const d = counts.diagnose;
  return (
    `${open} open incident${open === 1 ? '' : 's'}; diagnoses: ${d.waiting + d.delayed} queued, ` +
    `${d.active} running, ${d.failed} failed`
  );
}
