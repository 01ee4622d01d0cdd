import type { AuditEvent } from '../AuditEvent';
import { ChainVerifier, type ChainBreakReason } from '../hashChain';
import type { RedisAuditLog } from './RedisAuditLog';

export type AuditBreakReason = ChainBreakReason | 'malformed' | 'id-mismatch' | 'head-mismatch';

/** A stored entry that is not a well-formed event but still links into the chain. */
export interface MalformedAuditEntry {
  id: string;
  seq: number;
  error: string;
}

export type AuditVerifyResult =
  | {
      ok: true;
      count: number;
      head: { seq: number; hash: string };
      /** The chain is intact through these, but they are not events portbot would write. */
      malformed: MalformedAuditEntry[];
    }
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
  const malformed: MalformedAuditEntry[] = [];
  let headSeen = false;
  for await (const entry of log.entries()) {
    const expected = verifier.result();
    const nextSeq = expected.ok ? expected.head.seq + 1 : 0;
    const event = 'error' in entry ? chainLinks(entry.json) : entry.event;
    if (event === null) {
      const error = 'error' in entry ? entry.error : '';
      return broken(nextSeq, 'malformed', `entry ${entry.id}: ${error}`, expected);
    }
    const step = verifier.push(event);
    if (!step.ok) return step;
    if ('error' in entry) malformed.push({ id: entry.id, seq: event.seq, error: entry.error });
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
  const chain = verifier.result();
  const result: AuditVerifyResult = chain.ok ? { ...chain, malformed } : chain;
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

/**
 * A malformed entry that still carries its chain fields (say an actor stored as an array) links
 * into the chain: hashEvent hashes whatever JSON it holds, so the entries after it can be checked
 * instead of the whole rest of the log being reported as unverifiable.
 */
function chainLinks(json: unknown): AuditEvent | null {
  if (typeof json !== 'object' || json === null) return null;
  const { seq, at, prevHash, hash } = json as Record<string, unknown>;
  if (!Number.isInteger(seq) || typeof at !== 'string') return null;
  if (typeof prevHash !== 'string' || typeof hash !== 'string') return null;
  return json as AuditEvent;
}

function broken(
  seq: number,
  reason: AuditBreakReason,
  detail: string,
  sofar: { count: number },
): AuditVerifyResult {
  return { ok: false, seq, reason, detail, count: sofar.count };
}
