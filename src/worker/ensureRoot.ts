import type { Log } from '../domain/Log';
import type { Incident, IncidentStore } from '../incidents/Incident';
import { renderDiagnosingMessage } from '../render/slack/renderDiagnosingMessage';
import type { SlackPoster } from '../slack/SlackPoster';

/** Posts the "diagnosing…" root once per incident (a retry finds it recorded) and returns it. */
export async function ensureRoot(
  deps: { incidents: IncidentStore; slack: SlackPoster; log: Log },
  incident: Incident,
): Promise<{ channel: string; ts: string }> {
  if (incident.rootTs) return { channel: incident.channel, ts: incident.rootTs };
  const posted = await deps.slack.post({
    channel: incident.channel,
    ...renderDiagnosingMessage({
      host: incident.host,
      port: incident.port,
      source: incident.requestedBy ? 'command' : 'alert',
      ...(incident.requestedBy ? { requestedBy: incident.requestedBy } : {}),
    }),
  });
  if (await deps.incidents.setRoot(incident.id, posted.channel, posted.ts)) return posted;
  // Another attempt got there first: use its root (ours is an orphan "diagnosing…" line).
  deps.log.warn({ incidentId: incident.id }, 'root message raced; using the first one');
  const again = await deps.incidents.get(incident.id);
  return { channel: again?.channel ?? posted.channel, ts: again?.rootTs ?? posted.ts };
}
