import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Log } from '../domain/Log';
import { acceptAlerts, type AcceptAlertsDeps } from '../ingress/acceptAlerts';
import { ALERT_SOURCES, type AlertSource } from '../ingress/alerts/AlertEvent';
import { ALERT_BODY_LIMIT_BYTES } from '../ingress/alerts/alertLimits';
import { parseAlertPayload } from '../ingress/alerts/parseAlertPayload';
import { verifyBearer } from './verifyBearer';
import { verifyHmac } from './verifyHmac';
import { readBody } from './readBody';
import { sendJson } from './sendJson';

export interface AlertAuth {
  bearerToken?: string;
  hmacSecret?: string;
}

/**
 * POST /alerts/<source>: 202 accepted (queued, deduplicated or ignored with a reason), 400
 * malformed, 401 bad credentials, 413 too large. Never 500 for anything a client sent.
 */
export async function handleAlertRequest(
  req: IncomingMessage,
  res: ServerResponse,
  source: string,
  deps: AcceptAlertsDeps & { auth: AlertAuth; log: Log },
): Promise<void> {
  if (!(ALERT_SOURCES as readonly string[]).includes(source)) {
    sendJson(res, 404, {
      error: `unknown alert source '${source.slice(0, 40)}'; use ${ALERT_SOURCES.join(', ')}`,
    });
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    sendJson(res, 405, { error: 'use POST' });
    return;
  }
  const read = await readBody(req, ALERT_BODY_LIMIT_BYTES);
  if (!read.ok) {
    sendJson(res, 413, { error: `body larger than ${ALERT_BODY_LIMIT_BYTES} bytes` });
    return;
  }
  if (!authorised(req, read.body, deps.auth)) {
    sendJson(res, 401, { error: 'missing or wrong credentials' });
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(read.body.toString('utf8'));
  } catch {
    sendJson(res, 400, { error: 'body is not valid JSON' });
    return;
  }
  const parsed = parseAlertPayload(source as AlertSource, json);
  if (!parsed.ok) {
    sendJson(res, 400, { error: parsed.error });
    return;
  }
  const results = await acceptAlerts(deps, parsed.events);
  sendJson(res, 202, { accepted: results.length, results });
}

function authorised(req: IncomingMessage, body: Buffer, auth: AlertAuth): boolean {
  // With neither secret configured every alert is refused: an open webhook would let anyone page.
  if (auth.bearerToken && verifyBearer(header(req, 'authorization'), auth.bearerToken)) return true;
  if (auth.hmacSecret && verifyHmac(body, header(req, 'x-portbot-signature'), auth.hmacSecret))
    return true;
  return false;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
