import { checkSignedHeaders, replayKey, verifyV0Signature } from '../ingress/signing/v0Signature';

/**
 * `X-Portbot-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>">` with
 * `X-Portbot-Timestamp: <Unix seconds>` (Slack's scheme): the timestamp is signed too, so a
 * captured body cannot be replayed outside the window, and the replay key lets the caller refuse
 * it inside. Null (never an exception) for anything missing, malformed, stale or wrong.
 */
export function verifyHmac(
  rawBody: Uint8Array,
  headers: { signature: string | string[] | undefined; timestamp: string | string[] | undefined },
  secret: string,
  nowMs: number,
): { replayKey: string } | null {
  if (typeof secret !== 'string' || secret === '' || !(rawBody instanceof Uint8Array)) return null;
  const checked = checkSignedHeaders(headers.signature, headers.timestamp, nowMs);
  if (!checked.ok || !verifyV0Signature(secret, checked, rawBody)) return null;
  return { replayKey: replayKey('alert', checked.timestamp, rawBody) };
}
