import type { RecordAudit } from '../audit/recordAudit';
import type { Diagnosis } from '../domain/diagnosis';
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
  diagnose: (host: string, port: number) => Promise<Diagnosis>;
  log: Log;
  audit: RecordAudit;
}

/**
 * `/port check group:<name>` and `check all`: one root message that becomes the summary, and a
 * reply for each host with a problem (worst first, capped) — not one thread per host.
 */
export async function processFleetCheckJob(
  deps: FleetCheckJobDeps,
  input: { checkId: string; hosts: readonly string[]; jobId: string },
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
  // Unreachable hosts come back as diagnoses; only a bug rejects, and then the job retries.
  const diagnoses = await Promise.all(input.hosts.map((h) => deps.diagnose(h, check.port)));
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
      job: input.jobId,
    },
  });
  return diagnoses;
}
