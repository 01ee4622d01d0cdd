import type { IncidentStore } from '../incidents/Incident';
import { renderDiagnosisMessage } from '../render/slack/renderDiagnosisMessage';
import type { SlackPoster } from '../slack/SlackPoster';
import { rootContext } from './rootContext';
import { RetryLater } from '../domain/RetryLater';

/**
 * Re-renders the root message from the stored state (alert counter, resolution). Coalesced
 * in the queue, so an alert storm costs one chat.update per window, not one per alert.
 */
export async function processRefreshRootJob(
  deps: { incidents: IncidentStore; slack: SlackPoster },
  incidentId: string,
  /** Renews the job lock; false when another worker took the job over during a pause. */
  holdsLock: () => Promise<boolean> = () => Promise.resolve(true),
): Promise<'updated' | 'no-root-yet'> {
  const incident = await deps.incidents.get(incidentId);
  const diagnosis = await deps.incidents.getDiagnosis(incidentId);
  // Before the first diagnosis lands there is nothing to refresh: that update reads the counter.
  if (!incident?.rootTs || diagnosis === null) return 'no-root-yet';
  const rendered = renderDiagnosisMessage(diagnosis, rootContext(incident));
  // What this run read may be older than the job's new owner's: it edits only while it owns it.
  await deps.slack.update(
    { channel: incident.channel, ts: incident.rootTs, ...rendered },
    async () => {
      if (!(await holdsLock())) throw new RetryLater(1000, `refresh of ${incidentId} taken over`);
    },
  );
  return 'updated';
}
