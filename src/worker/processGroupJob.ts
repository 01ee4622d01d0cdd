import type { RecordAudit } from '../audit/recordAudit';
import type { Diagnosis } from '../domain/diagnosis';
import type { Log } from '../domain/Log';
import { PortbotError } from '../domain/PortbotError';
import type { IncidentStore } from '../incidents/Incident';
import { renderDiagnosisMessage } from '../render/slack/renderDiagnosisMessage';
import { renderGroupSummary } from '../render/slack/renderGroupSummary';
import type { SlackPoster } from '../slack/SlackPoster';
import { ensureRoot } from './ensureRoot';

/** Thread replies per group check: the worst hosts get their own message, the summary counts all. */
const MAX_HOST_REPLIES = 20;
const CLAIM_TTL_MS = 7 * 24 * 3600 * 1000;

export interface GroupJobDeps {
  incidents: IncidentStore;
  slack: SlackPoster;
  diagnose: (host: string, port: number) => Promise<Diagnosis>;
  log: Log;
  audit: RecordAudit;
}

/**
 * `/port check group:<name>` and `check all`: one root message that becomes the summary, and a
 * reply for each host with a problem (worst first, capped) — not one thread per host.
 */
export async function processGroupJob(
  deps: GroupJobDeps,
  input: { incidentId: string; hosts: readonly string[]; jobId: string },
): Promise<Diagnosis[]> {
  const incident = await deps.incidents.get(input.incidentId);
  if (!incident)
    throw new PortbotError('INTERNAL', `check ${input.incidentId} not found`, {
      userFacing: false,
    });
  const root = await ensureRoot(deps, incident);
  // Unreachable hosts come back as diagnoses; only a bug rejects, and then the job retries.
  const diagnoses = await Promise.all(input.hosts.map((h) => deps.diagnose(h, incident.port)));
  const summary = renderGroupSummary(diagnoses, { scope: incident.host, port: incident.port });
  await deps.slack.update({ channel: root.channel, ts: root.ts, ...summary });
  const problems = diagnoses.filter((d) => d.verdict !== 'healthy').slice(0, MAX_HOST_REPLIES);
  for (const d of problems) {
    const key = `group-reply:${input.jobId}:${d.host}`;
    if (!(await deps.incidents.claimOnce(key, CLAIM_TTL_MS))) continue;
    try {
      await deps.slack.post({
        channel: root.channel,
        threadTs: root.ts,
        ...renderDiagnosisMessage(d, { incidentId: incident.id }),
      });
    } catch (err) {
      await deps.incidents.releaseClaim(key);
      throw err;
    }
  }
  await deps.audit({
    type: 'diagnosis.posted',
    actor: 'system',
    incidentId: incident.id,
    host: incident.host,
    port: incident.port,
    detail: {
      hosts: diagnoses.length,
      problems: diagnoses.filter((d) => d.verdict !== 'healthy').length,
      unreachable: diagnoses.filter((d) => d.verdict === 'unreachable').length,
      job: input.jobId,
    },
  });
  return diagnoses;
}
