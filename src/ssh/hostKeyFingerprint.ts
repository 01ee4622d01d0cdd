import { createHash } from 'node:crypto';

/** The fingerprint `ssh-keygen -lf` prints: "SHA256:" + unpadded base64 of sha256(key blob). */
export function hostKeyFingerprint(keyBlob: Buffer): string {
  const b64 = createHash('sha256').update(keyBlob).digest('base64');
  return `SHA256:${b64.replace(/=+$/, '')}`;
}

/** Accepts pins with or without base64 padding; null when the pin is not in SHA256:… form. */
export function normalizeFingerprint(pin: string): string | null {
  const m = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(pin.trim());
  return m?.[1] === undefined ? null : `SHA256:${m[1]}`;
}
