import { createHash } from 'node:crypto';
import type { AuditEvent } from './AuditEvent';

export const GENESIS_HASH = '0'.repeat(64);

export type ChainBreakReason = 'seq-gap' | 'prev-hash-mismatch' | 'hash-mismatch';

export type ChainResult =
  | { ok: true; count: number; head: { seq: number; hash: string } }
  | { ok: false; seq: number; reason: ChainBreakReason; detail: string; count: number };

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * JSON with object keys sorted at every depth and no whitespace: the same event always hashes to
 * the same bytes, whatever order its producer or a JSON round trip left the keys in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalise(value));
}

function canonicalise(value: unknown): Json {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    // JSON would turn these into null, so the stored event would no longer match its hash.
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    return value;
  }
  if (Array.isArray(value)) return value.map(canonicalise);
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonicalise(v);
    }
    return out;
  }
  throw new TypeError(`cannot hash a ${typeof value}`);
}

/** sha256 (hex) of the canonical JSON of the event without its own `hash`. */
export function hashEvent(event: Omit<AuditEvent, 'hash'> & { hash?: string }): string {
  const unsigned: Record<string, unknown> = { ...event };
  delete unsigned.hash;
  return createHash('sha256').update(canonicalJson(unsigned), 'utf8').digest('hex');
}

/**
 * Incremental verifier, so a long log can be checked while streaming it. Feed events in chain
 * order; `push` returns the first break (and keeps returning it), `result` sums up.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private broken: Extract<ChainResult, { ok: false }> | null = null;

  push(event: AuditEvent): ChainResult {
    if (this.broken) return this.broken;
    this.broken = this.check(event);
    if (this.broken) return this.broken;
    this.count += 1;
    this.expectedSeq = event.seq + 1;
    this.prevHash = event.hash;
    return this.result();
  }

  result(): ChainResult {
    return (
      this.broken ?? {
        ok: true,
        count: this.count,
        head: { seq: this.expectedSeq - 1, hash: this.prevHash },
      }
    );
  }

  private check(e: AuditEvent): Extract<ChainResult, { ok: false }> | null {
    const count = this.count;
    // A deleted or reordered event shows as a gap; the missing seq is where trust ends.
    if (e.seq !== this.expectedSeq) {
      return {
        ok: false,
        seq: this.expectedSeq,
        reason: 'seq-gap',
        detail: `expected seq ${this.expectedSeq}, found ${e.seq}`,
        count,
      };
    }
    if (e.prevHash !== this.prevHash) {
      return {
        ok: false,
        seq: e.seq,
        reason: 'prev-hash-mismatch',
        detail: `prevHash ${short(e.prevHash)} does not match the previous event's hash ${short(this.prevHash)}`,
        count,
      };
    }
    const actual = hashEvent(e);
    if (actual !== e.hash) {
      return {
        ok: false,
        seq: e.seq,
        reason: 'hash-mismatch',
        detail: `stored hash ${short(e.hash)} but the content hashes to ${short(actual)}`,
        count,
      };
    }
    return null;
  }
}

/** Checks a whole chain from genesis: ok with the head, or the first broken seq and why. */
export function verifyChain(events: Iterable<AuditEvent>): ChainResult {
  const verifier = new ChainVerifier();
  for (const e of events) {
    if (!verifier.push(e).ok) break;
  }
  return verifier.result();
}

function short(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}
