import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How far a signed request's timestamp may be from now, either way (Slack's recommendation). */
export const SIGNATURE_WINDOW_S = 300;

/**
 * A timestamp accepted up to the window in the future stays acceptable for two windows, so a
 * replay-cache entry must outlive that or the same request could be replayed once it expires.
 */
export const REPLAY_TTL_MS = 2 * SIGNATURE_WINDOW_S * 1000;

const SIGNATURE = /^v0=([0-9a-f]{64})$/;
const TIMESTAMP = /^[0-9]{1,12}$/;

export type SignedHeaders =
  { ok: true; timestamp: string; signature: Buffer } | { ok: false; error: string };

/**
 * The `v0` scheme's headers checked before any body byte is read: the signature exactly
 * `v0=<64 lowercase hex>` (any other spelling would let one signed request pass under many
 * replay keys), the timestamp whole seconds within the window of `nowMs` in both directions.
 */
export function checkSignedHeaders(
  signature: string | string[] | undefined,
  timestamp: string | string[] | undefined,
  nowMs: number,
): SignedHeaders {
  if (typeof signature !== 'string' || typeof timestamp !== 'string') {
    return { ok: false, error: 'missing or repeated signature headers' };
  }
  const hex = SIGNATURE.exec(signature)?.[1];
  if (hex === undefined) return { ok: false, error: 'signature must be v0=<64 hex digits>' };
  if (!TIMESTAMP.test(timestamp)) return { ok: false, error: 'timestamp must be Unix seconds' };
  // Whole seconds on both sides: a fractional now would make the window 300.x s one way only.
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > SIGNATURE_WINDOW_S) {
    return { ok: false, error: `timestamp more than ${SIGNATURE_WINDOW_S} s from now` };
  }
  return { ok: true, timestamp, signature: Buffer.from(hex, 'hex') };
}

/** The `v0` signature of a body: what Slack sends in X-Slack-Signature ("v0=" and 64 hex). */
export function signV0(secret: string, timestamp: string, rawBody: Uint8Array | string): string {
  return `v0=${v0Digest(secret, timestamp, rawBody).toString('hex')}`;
}

function v0Digest(secret: string, timestamp: string, rawBody: Uint8Array | string): Buffer {
  return createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest();
}

/** HMAC-SHA256 of `v0:<timestamp>:<raw body>`, compared in constant time. */
export function verifyV0Signature(
  secret: string,
  headers: { timestamp: string; signature: Buffer },
  rawBody: Uint8Array,
): boolean {
  if (secret === '') return false;
  return timingSafeEqual(headers.signature, v0Digest(secret, headers.timestamp, rawBody));
}

/** What a replay cache keys on: exactly what the signature covers, nothing the sender may vary. */
export function replayKey(scope: string, timestamp: string, rawBody: Uint8Array): string {
  return `${scope}:${timestamp}:${createHash('sha256').update(rawBody).digest('hex')}`;
}
