import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Log } from '../domain/Log';
import type { WriteConfirmation } from '../domain/WriteConfirmation';
import { acceptAlerts, type AcceptAlertsDeps } from '../ingress/acceptAlerts';
import { ALERT_SOURCES, type AlertSource } from '../ingress/alerts/AlertEvent';
import { ALERT_BODY_LIMIT_BYTES } from '../ingress/alerts/alertLimits';
import { parseAlertPayload } from '../ingress/alerts/parseAlertPayload';
import { verifyBearer } from './verifyBearer';
import { verifyHmac } from './verifyHmac';
import { REPLAY_TTL_MS } from '../ingress/signing/v0Signature';
import { readBody, type BodyResult } from './readBody';
import { errorMessage } from '../domain/errorMessage';
import { declaredLength, replyAndClose } from './replyAndClose';
import { sendJson } from './sendJson';

export interface AlertAuth {
  bearerToken?: string;
  hmacSecret?: string;
}

export type AlertRequestDeps = AcceptAlertsDeps & {
  auth: AlertAuth;
  log: Log;
  /** True the first time a key is claimed within ttlMs (Redis SET NX PX, shared by all serves). */
  claimOnce: (key: string, ttlMs: number) => Promise<boolean>;
  /** Gives a replay key back when the request it guarded failed (503), so the retry is taken. */
  releaseClaim: (key: string) => Promise<void>;
  /** Set with replicas to wait for: a 202 only once the alert's writes reached them. */
  writes?: WriteConfirmation;
};

/**
 * POST /alerts/<source>: 202 accepted (queued, deduplicated or ignored with a reason), 400
 * malformed, 401 bad credentials, 409 replayed signature; 404, 405, 413 and 415 (generic not
 * JSON) answer before the body and close the connection. Never 500 for anything a client sent.
 * 503 when Redis is unavailable, or its replicas did not confirm the writes in time: the sender
 * retries, and a retry of an alert already recorded is a repeat of the same incident.
 */
export async function handleAlertRequest(
  req: IncomingMessage,
  res: ServerResponse,
  source: string,
  deps: AlertRequestDeps,
): Promise<void> {
  if (!(ALERT_SOURCES as readonly string[]).includes(source)) {
    replyAndClose(res, 404, {
      error: `unknown alert source '${source.slice(0, 40)}'; use ${ALERT_SOURCES.join(', ')}`,
    });
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    replyAndClose(res, 405, { error: 'use POST' });
    return;
  }
  if (source === 'generic' && !isJson(req.headers['content-type'])) {
    replyAndClose(res, 415, { error: 'send the alert as application/json' });
    return;
  }
  const tooLarge = { error: `body larger than ${ALERT_BODY_LIMIT_BYTES} bytes` };
  if ((declaredLength(req.headers) ?? 0) > ALERT_BODY_LIMIT_BYTES) {
    replyAndClose(res, 413, tooLarge);
    return;
  }
  let read: BodyResult;
  try {
    read = await readBody(req, ALERT_BODY_LIMIT_BYTES);
  } catch (err) {
    // A client that hangs up mid-body is its own business, not a fault of ours: no 503, no error.
    deps.log.warn({ source, err: errorMessage(err) }, 'alert request body aborted');
    res.destroy();
    return;
  }
  if (!read.ok) {
    replyAndClose(res, 413, tooLarge);
    return;
  }
  const auth = authorise(req, read.body, deps.auth, deps.now());
  if (auth === null) {
    sendJson(res, 401, { error: 'missing or wrong credentials' });
    return;
  }
  if (auth.replayKey && !(await deps.claimOnce(auth.replayKey, REPLAY_TTL_MS))) {
    deps.log.warn({ source }, 'replayed signed alert refused');
    sendJson(res, 409, { error: 'this signed request was already received' });
    return;
  }
  // The raw bytes go to the parser as they are: decoding here too would parse a JSON string twice.
  const parsed = parseAlertPayload(source as AlertSource, read.body);
  if (!parsed.ok) {
    sendJson(res, 400, { error: parsed.error });
    return;
  }
  const mark = deps.writes?.mark() ?? 0;
  const results = await acceptAlerts(deps, parsed.events).catch(async (err: unknown) => {
    // The 503 that follows asks the sender to resend these very bytes: the key this request
    // claimed must not turn that retry into a 409. Only this request's own key is given back;
    // a concurrent copy was already answered 409 and holds nothing. Alerts are deduplicated per
    // (host, port), so a retry after a partial intake counts repeats, never opens twice.
    if (auth.replayKey)
      await deps.releaseClaim(auth.replayKey).catch((e: unknown) => {
        deps.log.warn({ source, err: String(e) }, 'replay key not released');
      });
    throw err;
  });
  const durable = deps.writes ? await deps.writes.confirm(mark) : null;
  if (durable && !durable.confirmed) {
    deps.log.warn({ source, reason: durable.reason }, 'alert not acknowledged: not yet replicated');
    sendJson(res, 503, { error: `not yet safe in Redis (${durable.reason}); retry` });
    return;
  }
  // Not silence: the sender learns how many alerts the new-incident cap held back. `accepted`
  // keeps its meaning (every alert of the payload was received and answered).
  const heldBack = results.filter((r) => r.outcome === 'held').length;
  sendJson(res, 202, { accepted: results.length, heldBack, results });
}

/** Null when refused; an HMAC-signed request also names its replay key. */
function authorise(
  req: IncomingMessage,
  body: Buffer,
  auth: AlertAuth,
  nowMs: number,
): { replayKey?: string } | null {
  // With neither secret configured every alert is refused: an open webhook would let anyone page.
  if (auth.bearerToken && verifyBearer(header(req, 'authorization'), auth.bearerToken)) return {};
  if (!auth.hmacSecret) return null;
  const signed = {
    signature: req.headers['x-portbot-signature'],
    timestamp: req.headers['x-portbot-timestamp'],
  };
  return verifyHmac(body, signed, auth.hmacSecret, nowMs);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}
