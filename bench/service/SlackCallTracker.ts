import type { RecordedCall } from '../../src/localSlack/localSlackTypes';

/** What the stand-in saw of one incident's thread, with `performance.now()` times of the bench. */
export interface ThreadTrace {
  /** "host:port" as the root message names it. */
  target: string;
  channel: string;
  rootTs: string;
  rootAt: number;
  /** First chat.update of the root that carries a verdict (not the "diagnosing…" placeholder). */
  diagnosedAt?: number;
  verdict?: string;
  /** "diagnosed in N ms" from the root's footer: the SSH diagnosis alone, as the worker timed it. */
  diagnosisMs?: number;
  evidenceAt?: number;
  replies: number;
  updates: number;
  /** Last counter shown on the root ("alert fired N times"); 1 when the line is absent. */
  shownCount: number;
}

const TARGET = /([a-z0-9][a-z0-9.-]*:\d+)/;
const COUNTER = /alert fired ([\d,]+) times/;
const DIAGNOSED_IN = /diagnosed in ([\d,]+) ms/;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (s: string): number => Number(s.replace(/,/g, ''));

/**
 * Hooked into the stand-in's `onCall`, so times are taken when the stand-in handles the call
 * (same process and clock as the bench's t0), not when a poll happens to notice it.
 */
export class SlackCallTracker {
  private readonly byTs = new Map<string, ThreadTrace>();
  private readonly byTarget = new Map<string, ThreadTrace[]>();
  /** Calls answered with ok:false or a non-200 status, by method. */
  readonly failed = new Map<string, number>();

  onCall(call: RecordedCall): void {
    const at = performance.now();
    if (!call.ok) {
      this.failed.set(call.method, (this.failed.get(call.method) ?? 0) + 1);
      return;
    }
    const channel = str(call.response.channel) ?? str(call.params.channel) ?? '';
    const text = str(call.params.text) ?? '';
    if (call.method === 'chat.postMessage') {
      const threadTs = str(call.params.thread_ts);
      if (threadTs !== undefined) {
        const t = this.byTs.get(`${channel}/${threadTs}`);
        if (t) {
          t.replies += 1;
          t.evidenceAt ??= at;
        }
        return;
      }
      const target = TARGET.exec(text)?.[1];
      const ts = str(call.response.ts);
      if (target === undefined || ts === undefined) return;
      const trace: ThreadTrace = {
        target,
        channel,
        rootTs: ts,
        rootAt: at,
        replies: 0,
        updates: 0,
        shownCount: 1,
      };
      this.byTs.set(`${channel}/${ts}`, trace);
      this.byTarget.set(target, [...(this.byTarget.get(target) ?? []), trace]);
      return;
    }
    if (call.method !== 'chat.update') return;
    const t = this.byTs.get(`${channel}/${str(call.params.ts) ?? ''}`);
    if (!t) return;
    t.updates += 1;
    const blocks = JSON.stringify(call.params.blocks ?? []);
    const count = COUNTER.exec(blocks)?.[1];
    t.shownCount = count === undefined ? 1 : num(count);
    if (t.diagnosedAt !== undefined || text.startsWith('⏳')) return;
    t.diagnosedAt = at;
    const verdict = new RegExp(`${t.target.replace(/\./g, '\\.')} ([a-z-]+):`).exec(text)?.[1];
    if (verdict !== undefined) t.verdict = verdict;
    const ms = DIAGNOSED_IN.exec(blocks)?.[1];
    if (ms !== undefined) t.diagnosisMs = num(ms);
  }

  /** Every root posted for the target, oldest first (more than one is a dedup failure). */
  threads(target: string): readonly ThreadTrace[] {
    return this.byTarget.get(target) ?? [];
  }

  first(target: string): ThreadTrace | undefined {
    return this.byTarget.get(target)?.[0];
  }
}
