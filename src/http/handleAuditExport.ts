import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Log } from '../domain/Log';
import { isPortbotError, PortbotError } from '../domain/PortbotError';
import { verifyBearer } from './verifyBearer';
import { replyAndClose } from './replyAndClose';
import type { AuditLog } from '../audit/AuditLog';
import { AUDIT_CONTENT_TYPES } from '../audit/export/formatAuditExport';
import { parseExportOptions, type ExportOptions } from '../audit/export/parseExportOptions';
import { writeAuditExport } from '../audit/export/writeAuditExport';
import { errorMessage } from '../domain/errorMessage';

export interface AuditExportDeps {
  audit: AuditLog;
  /** PORTBOT_AUDIT_TOKEN; unset or empty refuses every request (an open export leaks the log). */
  token: string | undefined;
  now: () => number;
  log: Log;
}

/**
 * GET /audit/export?since=7d&until=…&format=jsonl|csv with `Authorization: Bearer <token>`.
 * 401 bad token, 400 bad query, 405 not GET; 200 streams the events as they are read.
 */
export async function handleAuditExport(
  req: IncomingMessage,
  res: ServerResponse,
  deps: AuditExportDeps,
): Promise<void> {
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET');
    replyAndClose(res, 405, { error: 'use GET' });
    return;
  }
  const auth = req.headers.authorization;
  if (!deps.token || !verifyBearer(auth, deps.token)) {
    res.setHeader('www-authenticate', 'Bearer');
    replyAndClose(res, 401, { error: 'missing or wrong credentials' });
    return;
  }
  let options: ExportOptions;
  try {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    options = parseExportOptions(
      {
        since: single(query, 'since'),
        until: single(query, 'until'),
        format: single(query, 'format'),
      },
      deps.now(),
      { since: 'since', until: 'until', format: 'format' },
    );
  } catch (err) {
    if (!isPortbotError(err)) throw err;
    replyAndClose(res, 400, { error: err.message });
    return;
  }
  res.writeHead(200, {
    'content-type': AUDIT_CONTENT_TYPES[options.format],
    'content-disposition': `attachment; filename="portbot-audit.${options.format}"`,
    'cache-control': 'no-store',
  });
  try {
    let malformed = 0;
    const events = deps.audit.read(options.range, (id, error) => {
      malformed += 1;
      deps.log.warn({ id, error }, 'audit export skipped a malformed entry');
    });
    const count = await writeAuditExport(events, options.format, async (lines) => {
      if (res.destroyed) throw new ClientGone();
      if (!res.write(`${lines.join('\n')}\n`)) await drained(res);
    });
    res.end();
    deps.log.info({ count, malformed, format: options.format }, 'audit export served');
  } catch (err) {
    if (err instanceof ClientGone) return;
    deps.log.error({ err: errorMessage(err) }, 'audit export failed mid-stream');
    // Headers are gone: an aborted chunked body tells the client it is incomplete; end() would not.
    res.destroy();
  }
}

class ClientGone extends Error {}

/** `since` given twice is ambiguous (which one did the caller mean?), so it is refused. */
function single(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1)
    throw new PortbotError('USAGE', `query parameter ${name} given more than once`);
  return values[0];
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
