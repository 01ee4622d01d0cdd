import type { Diagnosis } from '../domain/diagnosis';
import type { DiagnoseFn } from './DiagnoseFn';
import type { RecordAudit } from '../audit/recordAudit';
import type { Log } from '../domain/Log';
import { isPortbotError, PortbotError } from '../domain/PortbotError';
import { isRetryLater } from '../domain/RetryLater';
import { diagnosisFailure, isDiagnosisFailureCode } from '../diagnosis/diagnosisFailure';
import type { Incident, IncidentStore } from '../incidents/Incident';
import { renderDiagnosingMessage } from '../render/slack/renderDiagnosingMessage';
import { renderDiagnosisMessage } from '../render/slack/renderDiagnosisMessage';
import { renderEvidenceReply } from '../render/slack/renderEvidenceReply';
import { renderError } from '../render/slack/renderError';
import type { SlackHistory, SlackPoster } from '../slack/SlackPoster';
import { ensureRoot, postReplyOnce } from './ensureRoot';
import { rootContext } from './rootContext';
import { RetryLater } from '../domain/RetryLater';

export interface DiagnoseJobDeps {
  incidents: IncidentStore;
  slack: SlackPoster;
  history: SlackHistory;
  /** Looks the host up in the inventory and diagnoses it; SSH failures come back as `unreachable`. */
  diagnose: DiagnoseFn;
  log: Log;
  audit: RecordAudit;
}

/** What a diagnosis job remembers across its retries (kept with the job in the queue). */
export interface JobProgress {
  /** SSH diagnoses this job started, counted apart from attempts spent on Slack failures. */
  sshAttempts: number;
  /** When this job's saved diagnosis started (ms since epoch); null before it has one. */
  diagnosedAt: number | null;
}

export interface JobAttempt {
  id: string;
  attemptsMade: number;
  attempts: number;
  progress: JobProgress;
  saveProgress(progress: JobProgress): Promise<void>;
  /** Renews this run's job lock; false when it lapsed and another worker took the job over. */
  holdsLock(): Promise<boolean>;
}

/**
 * Attempts a diagnosis gets when SSH fails transiently. Slack failures are not counted against
 * it (JobProgress.sshAttempts): the job retries them until the incident expires (see BullJobQueue).
 */
export const SSH_ATTEMPTS = 4;
const AUDIT_GUARD_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Root message (once) → diagnosis → root updated in place → evidence reply (once per job).
 * Safe to run again after a crash: every Slack post goes through postOnce.
 */
export async function processDiagnoseJob(
  deps: DiagnoseJobDeps,
  incidentId: string,
  attempt: JobAttempt,
): Promise<Diagnosis> {
  const incident = await deps.incidents.get(incidentId);
  if (!incident)
    throw new PortbotError('INTERNAL', `incident ${incidentId} not found`, { userFacing: false });
  const root = await ensureRoot(
    { store: deps.incidents, slack: deps.slack, history: deps.history, log: deps.log },
    incident,
    renderDiagnosingMessage({
      host: incident.host,
      port: incident.port,
      source: incident.requestedBy ? 'command' : 'alert',
      ...(incident.requestedBy ? { requestedBy: incident.requestedBy } : {}),
    }),
  );
  let current = incident;
  let diagnosis = await reusableDiagnosis(deps.incidents, incident, attempt.progress);
  if (diagnosis === null) {
    diagnosis = await diagnoseHost(deps, incident, root, attempt);
    // Repeats counted while we diagnosed come back with the save; later ones queue a refresh-root.
    current = (await deps.incidents.saveDiagnosis(incidentId, diagnosis)) ?? incident;
  }
  await deps.slack.update(
    {
      channel: root.channel,
      ts: root.ts,
      ...renderDiagnosisMessage(diagnosis, rootContext(current)),
    },
    stillOurs(attempt),
  );
  const replyId = `evidence:${attempt.id}`;
  await postReplyOnce(
    deps,
    deps.incidents.replySlot(incidentId, replyId),
    incident,
    root,
    replyId,
    renderEvidenceReply(diagnosis),
  );
  deps.log.info(
    { incidentId, host: incident.host, port: incident.port, verdict: diagnosis.verdict },
    'diagnosis posted',
  );
  // One event per job even when a crash makes the job run twice.
  if (!(await deps.incidents.claimOnce(`audit:diagnosis.posted:${attempt.id}`, AUDIT_GUARD_TTL_MS)))
    return diagnosis;
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

/**
 * A retry after a Slack failure posts the diagnosis this job already made instead of asking the
 * host again, unless an alert came in after that diagnosis started.
 */
async function reusableDiagnosis(
  incidents: IncidentStore,
  incident: Incident,
  progress: JobProgress,
): Promise<Diagnosis | null> {
  if (progress.diagnosedAt === null || progress.diagnosedAt < incident.lastAlertAt) return null;
  return incidents.getDiagnosis(incident.id);
}

/** Runs the SSH diagnosis; throws to be retried while this job's SSH attempts remain. */
async function diagnoseHost(
  deps: DiagnoseJobDeps,
  incident: Incident,
  root: { channel: string; ts: string },
  attempt: JobAttempt,
): Promise<Diagnosis> {
  const startedAt = Date.now();
  const sshAttempts = attempt.progress.sshAttempts + 1;
  // Counted before SSH runs, so a worker killed mid-diagnosis spends the attempt too.
  await attempt.saveProgress({ ...attempt.progress, sshAttempts });
  const retriesLeft = sshAttempts < SSH_ATTEMPTS && attempt.attemptsMade + 1 < attempt.attempts;

  let diagnosis: Diagnosis;
  try {
    // An alert says the port failed: if it looks free or healthy now, watch it for a moment.
    diagnosis = await deps.diagnose(incident.host, incident.port, {
      sample: incident.requestedBy === null,
    });
  } catch (err) {
    // The host is at its slot limit: not a failure and no SSH ran, the job waits its turn.
    if (isRetryLater(err)) {
      await attempt.saveProgress(attempt.progress);
      throw err;
    }
    const code = isPortbotError(err) ? err.code : 'INTERNAL';
    // Unexpected errors (a Redis blip, a bug) get the retries; our own coded errors only when
    // the retry policy calls them transient.
    const retryable =
      !isPortbotError(err) || (isDiagnosisFailureCode(code) && diagnosisFailure(code).transient);
    if (retryable && retriesLeft) throw err;
    return reportFailure(deps, incident, root, code, err, attempt);
  }
  if (diagnosis.failure?.transient && retriesLeft) {
    // Let BullMQ retry with backoff; the root keeps saying "diagnosing…" meanwhile.
    throw new PortbotError(diagnosis.failure.code, diagnosis.summary, { userFacing: false });
  }
  await attempt.saveProgress({ sshAttempts, diagnosedAt: startedAt });
  return diagnosis;
}

/**
 * Checked right before a root edit leaves: a run paused past its job lock (another worker took
 * the job over) must not overwrite the root with what it knew before the pause.
 */
function stillOurs(attempt: JobAttempt): () => Promise<void> {
  return async () => {
    if (!(await attempt.holdsLock()))
      throw new RetryLater(1000, `job ${attempt.id} was taken over; its root edit is not sent`);
  };
}

/** Last word in the thread, so it does not say "diagnosing…" forever; details stay in the log. */
async function reportFailure(
  deps: DiagnoseJobDeps,
  incident: Incident,
  root: { channel: string; ts: string },
  code: string,
  err: unknown,
  attempt: JobAttempt,
): Promise<never> {
  deps.log.error(
    { incidentId: incident.id, host: incident.host, port: incident.port, code, err: String(err) },
    'diagnosis failed',
  );
  await deps.slack.update(
    {
      channel: root.channel,
      ts: root.ts,
      ...renderError(
        `portbot could not diagnose ${incident.host}:${incident.port} (${code}).`,
        `The worker log has the details under incident ${incident.id}.`,
      ),
    },
    stillOurs(attempt),
  );
  throw new PortbotError('INTERNAL', `diagnosis of ${incident.id} failed: ${code}`, {
    userFacing: false,
    cause: err,
  });
}
