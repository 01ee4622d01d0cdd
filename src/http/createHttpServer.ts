import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Registry } from 'prom-client';
import { handleAuditExport, type AuditExportDeps } from './handleAuditExport';
import type { Log } from '../domain/Log';
import { capConnectionsPerAddress } from './capConnectionsPerAddress';
import { checkReadiness } from './checkReadiness';
import { handleAlertRequest, type AlertRequestDeps } from './handleAlertRequest';
import type { PageRoutes } from './PageRoutes';
import { replyAndClose } from './replyAndClose';
import { sendJson } from './sendJson';
import { errorMessage } from '../domain/errorMessage';
import { SLACK_EVENTS_PATH } from './slackEventsPath';
import { repeatThrottle } from '../observability/repeatThrottle';

/** A failure repeated within this window (Redis down, every request) is logged once, counted. */
const FAILURE_LOG_WINDOW_MS = 10_000;

export interface HttpServerDeps {
  /** Bolt's HTTP receiver for /slack/events (absent in Socket Mode). */
  slackListener?: RequestListener;
  /** Alert webhooks (serve); absent on the worker's health listener, so /alerts/* is a 404. */
  alerts?: AlertRequestDeps;
  /** Readiness checks, each resolving true when its dependency answers. */
  readiness: Record<string, () => Promise<boolean>>;
  registry: Registry;
  log: Log;
  audit?: AuditExportDeps;
  /** Local mode's workspace page (`/`, `/workspace/…`); absent with a real Slack workspace. */
  page?: PageRoutes;
  /** Connections one remote address may hold at once; 0 turns the cap off (behind a proxy). */
  maxConnectionsPerAddress: number;
}

/** One HTTP server: Slack events, alert webhooks, health and metrics. Handlers only do transport. */
export function createHttpServer(deps: HttpServerDeps): Server {
  // A monotonic clock: a wall clock stepped back would silence a kind of failure for that long.
  const failures = repeatThrottle(FAILURE_LOG_WINDOW_MS, () => performance.now());
  // Node checks the timeouts below only this often (30 s by default), so they would bite late.
  const server = createServer({ connectionsCheckingInterval: CHECKING_INTERVAL_MS }, (req, res) => {
    route(deps, req, res).catch((err: unknown) => {
      const message = errorMessage(err);
      const seen = failures(message);
      if (seen.log)
        deps.log.error(
          { err: message, url: req.url, alsoFailedSince: seen.suppressed },
          'request failed',
        );
      // The body may be unread (or half-read) here: close rather than drain it.
      if (!res.headersSent)
        replyAndClose(res, 503, { error: 'temporarily unavailable; retry later' });
      else res.end();
    });
  });
  // Node's 300 s defaults let a slow client hold a socket for minutes; nothing here needs that.
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.maxConnections = MAX_CONNECTIONS;
  if (deps.maxConnectionsPerAddress > 0)
    capConnectionsPerAddress(server, deps.maxConnectionsPerAddress, deps.log);
  return server;
}

/**
 * Slack and Alertmanager send their headers at once: a client still sending them after 5 s is
 * holding a connection, not making a request. Cut within a second after (CHECKING_INTERVAL_MS).
 */
const HEADERS_TIMEOUT_MS = 5_000;
/** A whole request (headers and body); a held body is answered 408 within a second after. */
const REQUEST_TIMEOUT_MS = 15_000;
/** Far above Slack's and Alertmanager's needs; bounds the memory a flood of held requests costs. */
const MAX_CONNECTIONS = 512;
const CHECKING_INTERVAL_MS = 1000;
const READINESS_TIMEOUT_MS = 800;

async function route(
  deps: HttpServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === SLACK_EVENTS_PATH && deps.slackListener) {
    deps.slackListener(req, res);
    return;
  }
  if (path.startsWith('/alerts/') && deps.alerts) {
    await handleAlertRequest(req, res, path.slice('/alerts/'.length), {
      ...deps.alerts,
      log: deps.log,
    });
    return;
  }
  if (path === '/audit/export' && deps.audit) {
    await handleAuditExport(req, res, deps.audit);
    return;
  }
  if (deps.page?.handles(path)) {
    await deps.page.handle(req, res);
    return;
  }
  // Nothing below reads a body: an answer that leaves one unread must close the connection.
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const known = path === '/healthz' || path === '/readyz' || path === '/metrics';
    if (known) res.setHeader('allow', 'GET, HEAD');
    replyAndClose(res, known ? 405 : 404, { error: known ? 'use GET' : 'not found' });
    return;
  }
  // HEAD answers like GET: Node sends the status and headers and drops the body itself.
  if (path === '/healthz') {
    sendJson(res, 200, { ok: true });
  } else if (path === '/readyz') {
    const checks = await checkReadiness(deps.readiness, READINESS_TIMEOUT_MS);
    const ok = Object.values(checks).every(Boolean);
    sendJson(res, ok ? 200 : 503, { ok, checks });
  } else if (path === '/metrics') {
    const text = await deps.registry.metrics();
    res.writeHead(200, { 'content-type': deps.registry.contentType });
    res.end(text);
  } else {
    replyAndClose(res, 404, { error: 'not found' });
  }
}
