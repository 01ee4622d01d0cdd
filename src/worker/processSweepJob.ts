import type { RecordAudit } from '../audit/recordAudit';
import { describeFleetScope } from '../domain/FleetScope';
import { renderSweepDigest } from '../render/slack/renderSweepDigest';
import type { SweepJobData } from '../queue/sweepQueue';
import { carryOver, diffRisks } from '../sweep/diffRisks';
import type { HostSweep } from '../sweep/SweepRisk';
import type { SweepStore } from '../sweep/SweepStore';
import { postOnce, type PostOnceDeps } from './postOnce';

/** Recovery searches the channel from a minute before the job started (clock skew). */
const SEARCH_SLACK_MS = 60_000;

export interface SweepJobDeps extends PostOnceDeps {
  store: SweepStore;
  /** Sweeps the scope's hosts (one read-only exec each); unreachable hosts come back with `failure`. */
  sweep: (scope: SweepJobData['scope']) => Promise<HostSweep[]>;
  audit: RecordAudit;
}

export type SweepOutcome = 'posted' | 'quiet';

/**
 * One sweep, one digest: the risks that are new or changed since the last sweep of the scope
 * (all of them the first time). A scheduled sweep that found nothing new posts nothing; a
 * person's `/port sweep` always gets its answer. The risk set is saved after the post, and the
 * post is once per run (postOnce), so a retried job neither loses nor repeats a digest.
 */
export async function processSweepJob(
  deps: SweepJobDeps,
  input: { runId: string; data: SweepJobData; startedMs: number },
): Promise<SweepOutcome> {
  const { data } = input;
  const scope = describeFleetScope(data.scope);
  const sweeps = await deps.sweep(data.scope);
  const previous = await deps.store.lastRisks(scope);
  const diff = diffRisks(previous, sweeps);
  const quiet = data.requestedBy === null && previous !== null && diff.fresh.length === 0;
  if (!quiet) {
    const message = renderSweepDigest({
      scope,
      sweeps,
      diff,
      first: previous === null,
      requestedBy: data.requestedBy,
    });
    await postOnce(
      deps,
      deps.store.digestSlot(input.runId),
      {
        channel: data.channel,
        ...message,
        marker: { eventType: 'portbot_sweep_digest', payload: { run: input.runId } },
      },
      input.startedMs - SEARCH_SLACK_MS,
    );
  }
  await deps.store.saveRisks(scope, carryOver(previous, sweeps));
  await deps.audit({
    type: 'sweep.completed',
    actor: data.requestedBy ?? 'system',
    incidentId: null,
    host: null,
    port: null,
    detail: {
      scope,
      hosts: sweeps.length,
      risks: sweeps.reduce((n, s) => n + s.risks.length, 0),
      fresh: diff.fresh.length,
      resolved: diff.resolved.length,
      notSwept: sweeps.filter((s) => s.failure !== null).length,
      posted: !quiet,
      run: input.runId,
    },
  });
  return quiet ? 'quiet' : 'posted';
}
