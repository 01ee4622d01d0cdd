import type { RecordAudit } from '../audit/recordAudit';
import type { Diagnosis } from '../domain/diagnosis';
import { fleetDiagnoses } from '../diagnosis/fleetDiagnoses';
import { describeFleetScope } from '../domain/FleetScope';
import type { Log } from '../domain/Log';
import { PortbotError } from '../domain/PortbotError';
import type { FleetCheckStore } from '../fleetChecks/FleetCheck';
import type { IncidentStore } from '../incidents/Incident';
import { renderDiagnosingMessage } from '../render/slack/renderDiagnosingMessage';
import { renderDiagnosisMessage } from '../render/slack/renderDiagnosisMessage';
import { renderGroupSummary } from '../render/slack/renderGroupSummary';
import type { SlackHistory, SlackPoster } from '../slack/SlackPoster';
import { ensureRoot, postReplyOnce } from './ensureRoot';

/** Thread replies per fleet check: the worst hosts get their own message, the summary counts all. */
const MAX_HOST_REPLIES = 20;

export interface FleetCheckJobDeps {
  checks: FleetCheckStore;
  /** Guards each host reply, so a retried job does not post it twice. */
  replies: Pick<IncidentStore, 'replySlot'>;
  slack: SlackPoster;
  history: SlackHistory;
  log: Log;
  audit: RecordAudit;
}

/** What the parent of a fleet check's flow found its children left (see readFleetChunkResults). */
export interface FleetChunkOutcomes {
  /** Diagnoses per chunk index, for the children that completed. */
  results: ReadonlyMap<number, readonly Diagnosis[]>;
  /** Why a chunk has no result, for the children that failed for good. */
  failures: ReadonlyMap<number, string>;
}

/**
 * The parent of a `/port check group:<name>` / `check all` flow, run once its last chunk has
 * ended: one root message that becomes the summary, and a reply for each host with a problem
 * (worst first, capped) — not one thread per host. Every host appears once: those whose chunk
 * failed for good as not diagnosed (see fleetDiagnoses). Retries post nothing twice.
 */
export async function processFleetCheckJob(
  deps: FleetCheckJobDeps,
  input: {
    checkId: string;
    chunks: readonly (readonly string[])[];
    jobId: string;
  } & FleetChunkOutcomes,
): Promise<Diagnosis[]> {
  const check = await deps.checks.get(input.checkId);
  if (!check)
    throw new PortbotError('INTERNAL', `fleet check ${input.checkId} not found`, {
      userFacing: false,
    });
  const scope = describeFleetScope(check.scope);
  const root = await ensureRoot(
    { store: deps.checks, slack: deps.slack, history: deps.history, log: deps.log },
    check,
    renderDiagnosingMessage({
      host: scope,
      port: check.port,
      source: 'command',
      requestedBy: check.requestedBy,
    }),
  );
  const diagnoses = fleetDiagnoses({
    chunks: input.chunks,
    port: check.port,
    results: input.results,
    failures: input.failures,
  });
  const summary = renderGroupSummary(diagnoses, { scope, port: check.port });
  await deps.slack.update({ channel: root.channel, ts: root.ts, ...summary });
  const problems = diagnoses.filter((d) => d.verdict !== 'healthy').slice(0, MAX_HOST_REPLIES);
  for (const d of problems) {
    const replyId = `group-reply:${input.jobId}:${d.host}`;
    await postReplyOnce(
      deps,
      deps.replies.replySlot(check.id, replyId),
      check,
      root,
      replyId,
      renderDiagnosisMessage(d, { fleetCheckId: check.id }),
    );
  }
  await deps.audit({
    type: 'diagnosis.posted',
    actor: 'system',
    incidentId: null,
    host: null,
    port: check.port,
    detail: {
      fleetCheckId: check.id,
      scope,
      hosts: diagnoses.length,
      problems: diagnoses.filter((d) => d.verdict !== 'healthy').length,
      unreachable: diagnoses.filter((d) => d.verdict === 'unreachable').length,
      failedChunks: input.chunks.length - input.results.size,
      job: input.jobId,
    },
  });
  return diagnoses;
}
