import { round, summarize, type Summary } from '../stats';
import { outcomeOf, postAlertTo, type AlertTarget } from './alertTargets';
import type { KeepAliveClient } from './keepAliveClient';

export interface StormSend {
  alerts: number;
  sendMs: number;
  /** 202 answers per second of the whole send window, first request to last answer. */
  acceptedPerSec: number;
  /** HTTP status (0: transport error) → count. */
  statuses: Record<string, number>;
  /** portbot's outcome per alert ("opened", "repeat", "rediagnose"...) → count. */
  outcomes: Record<string, number>;
  requestMs: Summary;
  /** Per incident key: alerts answered 202, and the window from its first send to its last answer. */
  perTarget: Map<string, { accepted: number; firstSentAt: number; lastAckAt: number }>;
}

const bump = (m: Record<string, number>, k: string): void => {
  m[k] = (m[k] ?? 0) + 1;
};

/**
 * Sends `alerts` alerts round-robin over the targets (alert i → incident i mod n, so every
 * incident opens in the first n requests and then only repeats), `concurrency` in flight,
 * spread round-robin over the serve ports.
 */
export async function sendStorm(
  client: KeepAliveClient,
  servePorts: readonly number[],
  targets: readonly AlertTarget[],
  alerts: number,
  concurrency: number,
): Promise<StormSend> {
  const statuses: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  const durations: number[] = [];
  const perTarget = new Map<string, { accepted: number; firstSentAt: number; lastAckAt: number }>();
  let next = 0;
  const started = performance.now();
  const lane = async (): Promise<void> => {
    while (next < alerts) {
      const i = next++;
      const target = targets[i % targets.length] as AlertTarget;
      const port = servePorts[i % servePorts.length] ?? 0;
      const sentAt = performance.now();
      const res = await postAlertTo(client, port, target).catch(() => ({ status: 0, body: '' }));
      const ackAt = performance.now();
      durations.push(ackAt - sentAt);
      bump(statuses, String(res.status));
      bump(outcomes, outcomeOf(res) ?? 'none');
      const t = perTarget.get(target.key) ?? { accepted: 0, firstSentAt: sentAt, lastAckAt: 0 };
      if (res.status === 202) t.accepted += 1;
      t.lastAckAt = Math.max(t.lastAckAt, ackAt);
      perTarget.set(target.key, t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const sendMs = performance.now() - started;
  return {
    alerts,
    sendMs: round(sendMs),
    acceptedPerSec: round(((statuses['202'] ?? 0) * 1000) / sendMs),
    statuses,
    outcomes,
    requestMs: summarize(durations),
    perTarget,
  };
}
