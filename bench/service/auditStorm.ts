import type { AlertTarget } from './alertTargets';
import type { ServiceStack } from './startServiceStack';

export interface StormAudit {
  /** Top-level messages in the alert channel naming one of the storm's incidents. */
  threads: number;
  /** Incidents with exactly one top-level message. */
  incidentsWithOneThread: number;
  /** chat.postMessage calls that opened a storm thread (ok ones). */
  rootPosts: number;
  /** chat.postMessage calls into those threads (the evidence reply). */
  evidenceReplies: number;
  /** chat.update calls on those roots. */
  rootUpdates: number;
  /**
   * The most chat.update calls the dedup rules allow, summed over incidents: 2 from the diagnose
   * job (the update and its one catch-up re-render) plus the coalesced counter refreshes. Those
   * start at least 1 s apart (1 s queue delay, at most one pending per incident), the first one
   * 1 s after the first repeat, the last one 1 s plus one job run after the last alert, so
   * there are at most floor(window / 1 s) + 2 of them, window = first alert sent → last answered.
   */
  updateBound: number;
  /** Roots whose final counter equals the alerts accepted for them. */
  countersMatching: number;
  counterMismatches: { target: string; shown: number; accepted: number }[];
  /** Slack calls the stand-in answered with an error during this storm. */
  failedSlackCalls: number;
  /** Jobs that ended failed during this storm. */
  failedJobs: number;
}

const TARGET = /([a-z0-9][a-z0-9.-]*:\d+)/;
const COUNTER = /alert fired ([\d,]+) times/;
const REFRESH_COALESCE_MS = 1000;

/** Counts from the stand-in's own store and call log, not from the bench's tracker. */
export async function auditStorm(
  stack: ServiceStack,
  channel: string,
  targets: readonly AlertTarget[],
  perTarget: ReadonlyMap<string, { accepted: number; firstSentAt: number; lastAckAt: number }>,
  before: { calls: number; failedJobs: number },
): Promise<StormAudit> {
  const keys = new Set(targets.map((t) => t.key));
  const keyOf = (text: unknown) => (typeof text === 'string' ? (TARGET.exec(text)?.[1] ?? '') : '');
  const tops = stack.standIn.topLevelMessages(channel).filter((m) => keys.has(keyOf(m.text)));
  const perKey = new Map<string, number>();
  for (const m of tops) perKey.set(keyOf(m.text), (perKey.get(keyOf(m.text)) ?? 0) + 1);
  const rootTs = new Set(tops.map((m) => m.ts));
  const calls = stack.standIn.calls().slice(before.calls);
  const ok = calls.filter((c) => c.ok && (c.response.channel ?? c.params.channel) === channel);
  const posts = ok.filter((c) => c.method === 'chat.postMessage');
  const mismatches: StormAudit['counterMismatches'] = [];
  let matching = 0;
  for (const m of tops) {
    const count = COUNTER.exec(JSON.stringify(stack.standIn.message(channel, m.ts)?.blocks ?? []));
    const shown = count?.[1] === undefined ? 1 : Number(count[1].replace(/,/g, ''));
    const accepted = perTarget.get(keyOf(m.text))?.accepted ?? 0;
    if (shown === accepted) matching += 1;
    else mismatches.push({ target: keyOf(m.text), shown, accepted });
  }
  let updateBound = 0;
  for (const t of targets) {
    const w = perTarget.get(t.key);
    const windowMs = w ? w.lastAckAt - w.firstSentAt : 0;
    updateBound += 2 + Math.floor(windowMs / REFRESH_COALESCE_MS) + 2;
  }
  return {
    threads: tops.length,
    incidentsWithOneThread: [...keys].filter((k) => perKey.get(k) === 1).length,
    rootPosts: posts.filter(
      (c) => c.params.thread_ts === undefined && keys.has(keyOf(c.params.text)),
    ).length,
    evidenceReplies: posts.filter((c) => rootTs.has(String(c.params.thread_ts))).length,
    rootUpdates: ok.filter((c) => c.method === 'chat.update' && rootTs.has(String(c.params.ts)))
      .length,
    updateBound,
    countersMatching: matching,
    counterMismatches: mismatches.slice(0, 5),
    failedSlackCalls: calls.filter((c) => !c.ok).length,
    failedJobs: (await stack.backlog()).failed - before.failedJobs,
  };
}
