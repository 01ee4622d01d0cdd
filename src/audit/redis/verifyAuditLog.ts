import { ChainVerifier, type ChainBreakReason } from '../hashChain';
import type { RedisAuditLog } from './RedisAuditLog';

export type AuditBreakReason = ChainBreakReason | 'malformed' | 'id-mismatch' | 'head-mismatch';

export type AuditVerifyResult =
  | { ok: true; count: number; head: { seq: number; hash: string } }
  | { ok: false; seq: number; reason: AuditBreakReason; detail: string; count: number };

/**
 * The whole stored log, from genesis: the hash chain, each entry's stream id against its seq and
 * time (a moved entry would escape time-range exports), and the head key against the last event
 * (events deleted from the tail leave no gap in the chain itself).
 */
export async function verifyAuditLog(log: RedisAuditLog): Promise<AuditVerifyResult> {
  // Read before the stream: events appended meanwhile only lie beyond this head.
  const head = await log.readHead();
  const verifier = new ChainVerifier();
  let headSeen = false;
  for await (const entry of log.entries()) {
    const expected = verifier.result();
    const nextSeq = expected.ok ? expected.head.seq + 1 : 0;
    if ('error' in entry) {
      return broken(nextSeq, 'malformed', `entry ${entry.id}: ${entry.error}`, expected);
    }
    const { event } = entry;
    const step = verifier.push(event);
    if (!step.ok) return step;
    const wantId = `${Date.parse(event.at)}-${event.seq}`;
    if (entry.id !== wantId) {
      return broken(event.seq, 'id-mismatch', `stream id ${entry.id}, expected ${wantId}`, step);
    }
    if (head && event.seq === head.seq) {
      if (event.hash !== head.hash) {
        return broken(event.seq, 'head-mismatch', 'the head key names another hash', step);
      }
      headSeen = true;
    }
  }
  const result = verifier.result();
  if (result.ok && result.count > 0 && head === null) {
    return broken(1, 'head-mismatch', 'the head key is missing', result);
  }
  if (result.ok && head && !headSeen) {
    return broken(
      result.head.seq + 1,
      'head-mismatch',
      `the head says seq ${head.seq} but the stream ends at seq ${result.head.seq} (events deleted at the tail?)`,
      result,
    );
  }
  return result;
}

function broken(
  seq: number,
  reason: AuditBreakReason,
  detail: string,
  sofar: { count: number },
): AuditVerifyResult {
  return { ok: false, seq, reason, detail, count: sofar.count };
}
