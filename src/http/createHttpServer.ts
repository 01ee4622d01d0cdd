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
import type { AcceptAlertsDeps } from '../ingress/acceptAlerts';
import { handleAlertRequest, type AlertAuth } from './handleAlertRequest';
import { sendJson } from './sendJson';

export interface HttpServerDeps {
  /** Bolt's HTTP receiver for /slack/events (absent in Socket Mode). */
  slackListener?: RequestListener;
  alerts: AcceptAlertsDeps & { auth: AlertAuth };
  /** Readiness checks, each resolving true when its dependency answers. */
  readiness: Record<string, () => Promise<boolean>>;
  registry: Registry;
  log: Log;
  audit?: AuditExportDeps;
}

/** One HTTP server: Slack events, alert webhooks, health and metrics. Handlers only do transport. */
export function createHttpServer(deps: HttpServerDeps): Server {
  return createServer((req, res) => {
    route(deps, req, res).catch((err: unknown) => {
      deps.log.error(
        { err: err instanceof Error ? err.message : String(err), url: req.url },
        'request failed',
      );
      if (!res.headersSent) sendJson(res, 503, { error: 'temporarily unavailable; retry later' });
      else res.end();
    });
  });
}

async function route(
  deps: HttpServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/slack/events' && deps.slackListener) {
    deps.slackListener(req, res);
    return;
  }
  if (path.startsWith('/alerts/')) {
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
  if (req.method !== 'GET') {
    sendJson(res, path === '/healthz' || path === '/readyz' || path === '/metrics' ? 405 : 404, {
      error: 'not found',
    });
    return;
  }
  if (path === '/healthz') {
    sendJson(res, 200, { ok: true });
  } else if (path === '/readyz') {
    const checks = Object.fromEntries(
      await Promise.all(
        Object.entries(deps.readiness).map(
          async ([name, check]) => [name, await check().catch(() => false)] as const,
        ),
      ),
    );
    const ok = Object.values(checks).every(Boolean);
    sendJson(res, ok ? 200 : 503, { ok, checks });
  } else if (path === '/metrics') {
    const text = await deps.registry.metrics();
    res.writeHead(200, { 'content-type': deps.registry.contentType });
    res.end(text);
  } else {
    sendJson(res, 404, { error: 'not found' });
  }
}
