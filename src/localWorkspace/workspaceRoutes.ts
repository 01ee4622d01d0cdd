import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative } from 'node:path';
import type { z } from 'zod';
import type { Log } from '../domain/Log';
import { PortbotError } from '../domain/PortbotError';
import type { PageRoutes } from '../http/PageRoutes';
import { readBody } from '../http/readBody';
import { replyAndClose } from '../http/replyAndClose';
import { sendJson } from '../http/sendJson';
import type { LocalWorkspace, WorkspaceResult } from './LocalWorkspace';
import { openEventStream } from './openEventStream';
import { parseJson } from './view/jsonShape';
import {
  ClickRequestSchema,
  CloseRequestSchema,
  CommandRequestSchema,
  SubmitRequestSchema,
} from './WorkspaceRequestSchemas';

/** Where `npm run build` puts the page: index.html, workspace.css and the compiled js/. */
export const PAGE_DIR = join(__dirname, 'public');
const BODY_LIMIT = 64 * 1024;
/**
 * Open pages at once. A person uses a few tabs; each stream costs a snapshot per change, so an
 * unbounded number (a script holding the token) would make every change cost that many.
 */
export const MAX_STREAMS = 32;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The page's own scripts and styles only: even markup that slipped through could run nothing.
 * No CDN, no external fonts: everything is served from here.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

type Action = (port: number, body: unknown) => Promise<WorkspaceResult> | WorkspaceResult;

/**
 * The local workspace page on serve's listener (local mode only): `/` and `/workspace/…`. Acting
 * as any user of the policy is the point of the page, so it answers loopback names only (no DNS
 * rebinding) and a page token guards every POST (no other site can post here from a browser).
 */
export function workspaceRoutes(
  workspace: LocalWorkspace,
  o: { log: Log; pageDir?: string },
): PageRoutes {
  const dir = o.pageDir ?? PAGE_DIR;
  const token = randomBytes(24).toString('hex');
  const files = loadPage(dir, token);
  const streams = new Set<() => void>();
  const parsed =
    <T>(
      schema: z.ZodType<T>,
      run: (port: number, v: T) => Promise<WorkspaceResult> | WorkspaceResult,
    ): Action =>
    (port, body) => {
      const v = schema.safeParse(body);
      if (!v.success) return { ok: false, status: 400, error: 'malformed request' };
      return run(port, v.data);
    };
  const actions: Record<string, Action> = {
    '/workspace/command': parsed(CommandRequestSchema, (p, v) => workspace.command(p, v)),
    '/workspace/click': parsed(ClickRequestSchema, (p, v) => workspace.click(p, v)),
    '/workspace/submit': parsed(SubmitRequestSchema, (p, v) => workspace.submit(p, v)),
    '/workspace/close': parsed(CloseRequestSchema, (_p, v) => workspace.closeModal(v)),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const host = (req.headers.host ?? '').replace(/:[0-9]+$/, '');
    if (!LOOPBACK_HOSTS.has(host)) {
      replyAndClose(res, 403, { error: 'the local workspace answers on 127.0.0.1 only' });
      return;
    }
    const action = actions[url.pathname];
    if (req.method === 'POST' && action) {
      if (req.headers['x-portbot-page'] !== token) {
        replyAndClose(res, 403, { error: 'missing page token: reload the page' });
        return;
      }
      const read = await readBody(req, BODY_LIMIT);
      if (!read.ok) {
        replyAndClose(res, 413, { error: 'request too large' });
        return;
      }
      const result = await action(req.socket.localPort ?? 0, parseJson(read.body.toString()));
      sendJson(res, result.ok ? 200 : result.status, result);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      replyAndClose(res, 405, { error: 'use GET' });
      return;
    }
    const file = files.get(url.pathname);
    if (file) return send(res, file.type, file.body);
    if (url.pathname === '/workspace/events') {
      // No user chosen yet (a fresh page): the first the policy names, a requester when there is one.
      const user = url.searchParams.get('user') || (workspace.users[0]?.id ?? '');
      if (url.searchParams.get('token') !== token || !workspace.isUser(user)) {
        replyAndClose(res, 403, { error: 'missing page token or unknown user' });
        return;
      }
      if (streams.size >= MAX_STREAMS) {
        replyAndClose(res, 503, {
          error: `${MAX_STREAMS} workspace pages are open already: close one (a tab) and reload`,
        });
        return;
      }
      const stop = openEventStream(req, res, {
        snapshot: () => workspace.snapshot(user),
        onChange: (l) => workspace.onChange(l),
        onEnd: () => streams.delete(stop),
      });
      streams.add(stop);
      return;
    }
    replyAndClose(res, 404, { error: 'not found' });
  }

  return {
    handles: (path) => path === '/' || path.startsWith('/workspace/'),
    handle: async (req, res) => {
      try {
        await handle(req, res);
      } catch (err) {
        o.log.warn({ err: String(err), url: req.url }, 'local workspace request failed');
        if (!res.headersSent) replyAndClose(res, 500, { error: 'local workspace failed' });
      }
    },
    close: () => {
      for (const stop of [...streams]) stop();
      workspace.close();
    },
  };
}

function send(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, {
    'content-type': `${type}; charset=utf-8`,
    'content-length': Buffer.byteLength(body),
    ...SECURITY_HEADERS,
  });
  res.end(body);
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

/**
 * The page's files, read once: `/` is index.html with this run's token in it, and every script
 * and stylesheet under the folder is `/workspace/<its path>`. Nothing else is served.
 */
function loadPage(dir: string, token: string): Map<string, { type: string; body: string }> {
  const files = new Map<string, { type: string; body: string }>();
  try {
    const index = readFileSync(join(dir, 'index.html'), 'utf8');
    files.set('/', { type: 'text/html', body: index.replace('{{PAGE_TOKEN}}', token) });
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      const type = TYPES[extname(entry.name)];
      if (!entry.isFile() || !type) continue;
      const path = join(entry.parentPath, entry.name);
      const rel = relative(dir, path).split('\\').join('/');
      files.set(`/workspace/${rel}`, { type, body: readFileSync(path, 'utf8') });
    }
  } catch (err) {
    throw new PortbotError(
      'CONFIG_INVALID',
      `local workspace page missing under ${dir}: run npm run build`,
      { cause: err },
    );
  }
  return files;
}
