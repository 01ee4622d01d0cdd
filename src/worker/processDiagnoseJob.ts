import type { Diagnosis } from '../domain/diagnosis';
import type { RecordAudit } from '../audit/recordAudit';
import type { Log } from '../domain/Log';
import { isPortbotError, PortbotError } from '../domain/PortbotError';
import { TRANSIENT_SSH_FAILURES } from '../domain/sshErrorCodes';
import type { IncidentStore } from '../incidents/Incident';
import { renderDiagnosisMessage } from '../render/slack/renderDiagnosisMessage';
import { renderEvidenceReply } from '../render/slack/renderEvidenceReply';
import { renderError } from '../render/slack/renderError';
import type { SlackPoster } from '../slack/SlackPoster';
import { ensureRoot } from './ensureRoot';
import { rootContext } from './rootContext';

export interface DiagnoseJobDeps {
  incidents: IncidentStore;
  slack: SlackPoster;
  /** Looks the host up in the inventory and diagnoses it; SSH failures come back as `unreachable`. */
  diagnose: (host: string, port: number) => Promise<Diagnosis>;
  log: Log;
  audit: RecordAudit;
}

export interface JobAttempt {
  id: string;
  attemptsMade: number;
  attempts: number;
}

const CLAIM_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Root message (once) → diagnosis → root updated in place → evidence reply (once per job).
 * Safe to run again after a crash: every Slack post is guarded by a Redis record.
 */
export async function processDiagnoseJob(
  deps: DiagnoseJobDeps,
  incidentId: string,
  attempt: JobAttempt,
): Promise<Diagnosis> {
  const incident = await deps.incidents.get(incidentId);
  if (!incident)
    throw new PortbotError('INTERNAL', `incident ${incidentId} not found`, { userFacing: false });
  const root = await ensureRoot(deps, incident);

  let diagnosis: Diagnosis;
  try {
    diagnosis = await deps.diagnose(incident.host, incident.port);
  } catch (err) {
    const code = isPortbotError(err) ? err.code : 'INTERNAL';
    const retryable =
      !isPortbotError(err) || (TRANSIENT_SSH_FAILURES as readonly string[]).includes(code);
    if (retryable && attempt.attemptsMade + 1 < attempt.attempts) throw err;
    // Last word in the thread, so it does not say "diagnosing…" forever; details stay in the log.
    deps.log.error(
      { incidentId, host: incident.host, port: incident.port, code, err: String(err) },
      'diagnosis failed',
    );
    await deps.slack.update({
      channel: root.channel,
      ts: root.ts,
      ...renderError(
        `portbot could not diagnose ${incident.host}:${incident.port} (${code}).`,
        `The worker log has the details under incident ${incidentId}.`,
      ),
    });
    throw new PortbotError('INTERNAL', `diagnosis of ${incidentId} failed: ${code}`, {
      userFacing: false,
      cause: err,
    });
  }
  if (isTransientFailure(diagnosis) && attempt.attemptsMade + 1 < attempt.attempts) {
    // Let BullMQ retry with backoff; the root keeps saying "diagnosing…" meanwhile.
    throw new PortbotError('SSH_TIMEOUT', diagnosis.summary, { userFacing: false });
  }
  await deps.incidents.saveDiagnosis(incidentId, JSON.stringify(diagnosis));
  const fresh = (await deps.incidents.get(incidentId)) ?? incident;
  const rendered = renderDiagnosisMessage(diagnosis, rootContext(fresh));
  await deps.slack.update({ channel: root.channel, ts: root.ts, ...rendered });
  // Repeats that landed while we rendered would otherwise wait for the next refresh.
  const after = await deps.incidents.get(incidentId);
  if (after && (after.alertCount !== fresh.alertCount || after.status !== fresh.status)) {
    await deps.slack.update({
      channel: root.channel,
      ts: root.ts,
      ...renderDiagnosisMessage(diagnosis, rootContext(after)),
    });
  }
  const evidenceKey = `evidence:${attempt.id}`;
  if (await deps.incidents.claimOnce(evidenceKey, CLAIM_TTL_MS)) {
    try {
      await deps.slack.post({
        channel: root.channel,
        threadTs: root.ts,
        ...renderEvidenceReply(diagnosis),
      });
    } catch (err) {
      // Not posted: let the retry post it.
      await deps.incidents.releaseClaim(evidenceKey);
      throw err;
    }
  }
  deps.log.info(
    { incidentId, host: incident.host, port: incident.port, verdict: diagnosis.verdict },
    'diagnosis posted',
  );
  await deps.audit({
    type: 'diagnosis.posted',
    actor: 'system',
    incidentId,
    host: incident.host,
    port: incident.port,
    detail: {
      verdict: diagnosis.verdict,
      occupantPid: diagnosis.occupant?.pid ?? null,
      occupantComm: diagnosis.occupant?.comm ?? null,
      durationMs: diagnosis.durationMs,
      job: attempt.id,
    },
  });
  return diagnosis;
}

function isTransientFailure(d: Diagnosis): boolean {
  if (d.verdict !== 'unreachable') return false;
  const codes = d.findings.map((f) => f.code.toUpperCase().replace(/-/g, '_'));
  return codes.some((c) => (TRANSIENT_SSH_FAILURES as readonly string[]).includes(c));
}
