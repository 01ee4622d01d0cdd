import { setTimeout as sleep } from 'node:timers/promises';
import { postAlert } from './serviceEnv';

/** An alert a sender got answered 202, and when. */
export interface Accepted {
  target: string;
  /** When the 202 arrived. */
  at: number;
  /** When the first attempt and the one answered 202 were sent. */
  firstTriedAt: number;
  triedAt: number;
}

export type AlertSender = ReturnType<typeof startSender>;

/**
 * Fires one new target after another (host hosts[i % n], port firstPort + i), each retried every
 * 100 ms until answered 202 (as Alertmanager retries), paceMs between targets, until stopped.
 * Every answer other than 202 is counted by status (0: no HTTP answer at all).
 */
export function startSender(
  servePort: number,
  opts: { hosts: readonly string[]; firstPort: number; paceMs: number; summary: string },
) {
  const accepted: Accepted[] = [];
  const refusedBy = new Map<number, number>();
  let refused = 0;
  let stopped = false;
  let wake: () => void = () => undefined;
  const loop = (async () => {
    for (let i = 0; !stopped; i += 1) {
      const host = opts.hosts[i % opts.hosts.length] ?? 'lb-01';
      const port = opts.firstPort + i;
      const firstTriedAt = Date.now();
      let triedAt: number;
      for (;;) {
        triedAt = Date.now();
        const answer = await postAlert(
          servePort,
          { host, port, status: 'firing', summary: opts.summary },
          undefined,
          'generic',
        ).catch(() => ({ status: 0 }));
        if (answer.status === 202) break;
        refused += 1;
        refusedBy.set(answer.status, (refusedBy.get(answer.status) ?? 0) + 1);
        await sleep(100);
      }
      accepted.push({ target: `${host}:${port}`, at: Date.now(), firstTriedAt, triedAt });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, opts.paceMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return {
    accepted,
    refused: () => refused,
    /** Answers other than 202, by HTTP status (0: connection failed). */
    refusedBy: () => new Map(refusedBy),
    /** Sends the next alert now instead of after the pause. */
    nudge: () => wake(),
    /** Resolves once `done(accepted)` holds. */
    until: (done: (a: readonly Accepted[]) => boolean, timeoutMs: number) =>
      waitUntil(() => done(accepted), timeoutMs).catch(() => {
        throw new Error(`sender: ${accepted.length} accepted only`);
      }),
    stop: async () => {
      stopped = true;
      wake();
      await loop;
    },
  };
}

export async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(10);
  }
}
