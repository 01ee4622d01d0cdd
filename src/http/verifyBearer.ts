import { createHash, timingSafeEqual } from 'node:crypto';

// Hashing both sides gives equal-length buffers, so the comparison time says nothing about length.
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * `Authorization: Bearer <token>` against the configured token, in constant time. An empty
 * expected token refuses everything (no PORTBOT_ALERT_TOKEN means no alerts accepted).
 */
export function verifyBearer(header: string | undefined, expected: string): boolean {
  if (typeof header !== 'string' || typeof expected !== 'string' || expected === '') return false;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  const token = match?.[1];
  if (token === undefined) return false;
  return timingSafeEqual(digest(token), digest(expected));
}
