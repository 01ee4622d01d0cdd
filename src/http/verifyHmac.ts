import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE = /^(?:sha256=)?([0-9a-f]{64})$/i;

/**
 * HMAC-SHA256 of the raw body, hex, optionally prefixed `sha256=` (GitHub-style). Constant
 * time; false (never an exception) for a missing, malformed or wrong signature or an empty secret.
 */
export function verifyHmac(
  rawBody: Buffer | Uint8Array,
  signatureHeader: string | undefined,
  secret: string,
): boolean {
  if (typeof secret !== 'string' || secret === '') return false;
  if (!(rawBody instanceof Uint8Array)) return false;
  if (typeof signatureHeader !== 'string') return false;
  const hex = SIGNATURE.exec(signatureHeader.trim())?.[1];
  if (hex === undefined) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}
