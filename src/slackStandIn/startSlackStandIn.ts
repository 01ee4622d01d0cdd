import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkMessageContent } from './checkMessageContent';
import { decodeParams } from './decodeParams';
import { dispatchApiCall } from './dispatchApiCall';
import { UPLOAD_PATH } from './fileMethods';
import { apiError } from './MethodHandler';
import { parseMultipartFile } from './parseMultipartFile';
import { SlackStandInStore } from './SlackStandInStore';
import type { StoreOptions } from './SlackStandInStore';
import type { MethodResult, RecordedCall } from './standInTypes';

export interface SlackStandInOptions extends StoreOptions {
  port?: number;
  host?: string;
  /** Called after every recorded call (the CLI logs them as JSON lines). */
  onCall?: (call: RecordedCall) => void;
  maxBodyBytes?: number;
}

const RESPONSE_URL_PATH = '/response-url/';

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, r: MethodResult): void {
  res.writeHead(r.status ?? 200, {
    'content-type': 'application/json; charset=utf-8',
    ...(r.headers ?? {}),
  });
  res.end(JSON.stringify(r.body));
}

/**
 * A local stand-in for the Slack Web API: point `new WebClient(token, { slackApiUrl: standIn.url })`
 * (or Bolt's `clientOptions.slackApiUrl`) at it. It keeps messages, threads and files, records every
 * call, and answers errors, limits and rate limits in Slack's shapes.
 */
export class SlackStandIn extends SlackStandInStore {
  /** Base URL for `slackApiUrl`, ending in "/api/". */
  url = '';
  /** e.g. "http://127.0.0.1:4321" */
  origin = '';
  port = 0;
  private readonly server: Server;
  private readonly maxBodyBytes: number;

  constructor(opts: SlackStandInOptions = {}) {
    super(opts);
    this.maxBodyBytes = opts.maxBodyBytes ?? 20 * 1024 * 1024;
    const onCall = opts.onCall;
    if (onCall) this.events.on('call', (c: RecordedCall) => onCall(c));
    this.server = createServer((req, res) => {
      readBody(req, this.maxBodyBytes).then(
        (body) => this.route(req, res, body),
        (err: unknown) => {
          const tooLarge = err instanceof BodyTooLarge;
          send(res, {
            status: tooLarge ? 413 : 400,
            body: apiError(tooLarge ? 'request_too_large' : 'request_timeout'),
          });
        },
      );
    });
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    const urlHost =
      host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    this.port = addr.port;
    this.origin = `http://${urlHost}:${addr.port}`;
    this.url = `${this.origin}/api/`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      // Clients keep connections alive; without this close() would wait for their idle timeout.
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private route(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? '/', this.origin);
    if (url.pathname.startsWith('/api/')) {
      const method = url.pathname.slice('/api/'.length);
      const decoded = decodeParams(req.headers['content-type'], body, url.searchParams);
      if (!decoded.ok) {
        const body = apiError(decoded.error);
        this.record({
          method,
          params: {},
          at: Date.now(),
          status: 200,
          ok: false,
          error: decoded.error,
          response: body,
        });
        send(res, { body });
        return;
      }
      const auth = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
      const ctx = { store: this, origin: this.origin };
      send(res, dispatchApiCall(ctx, { method, params: decoded.params, bearer: auth?.[1] }));
      return;
    }
    if (url.pathname.startsWith(UPLOAD_PATH) && req.method === 'POST') {
      this.acceptUpload(url.pathname.slice(UPLOAD_PATH.length), req, res, body);
      return;
    }
    if (url.pathname.startsWith(RESPONSE_URL_PATH) && req.method === 'POST') {
      send(res, this.acceptResponseUrlPost(url.pathname, req.headers['content-type'], body));
      return;
    }
    send(res, { status: 404, body: apiError('not_found') });
  }

  /**
   * A `response_url` served by the stand-in, for slash command tests: what Bolt's `respond()`
   * posts there is recorded as method "response_url".
   */
  responseUrl(id = 'default'): string {
    return `${this.origin}${RESPONSE_URL_PATH}${encodeURIComponent(id)}`;
  }

  private acceptResponseUrlPost(
    path: string,
    contentType: string | undefined,
    body: Buffer,
  ): MethodResult {
    const decoded = decodeParams(contentType, body, new URLSearchParams());
    const params = decoded.ok ? decoded.params : {};
    const checked = decoded.ok ? checkMessageContent(params) : undefined;
    const error = !decoded.ok ? decoded.error : checked && !checked.ok ? checked.err : undefined;
    const result: MethodResult = error
      ? { status: 400, body: apiError(error) }
      : { body: { ok: true } };
    this.record({
      method: 'response_url',
      params: {
        ...params,
        response_url_id: decodeURIComponent(path.slice(RESPONSE_URL_PATH.length)),
      },
      at: Date.now(),
      status: result.status ?? 200,
      ok: !error,
      ...(typeof result.body.error === 'string' ? { error: result.body.error } : {}),
      response: result.body,
    });
    return result;
  }

  private acceptUpload(
    fileId: string,
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
  ): void {
    const file = this.fileRecord(fileId);
    const content = parseMultipartFile(req.headers['content-type'], body);
    const status = file ? 200 : 404;
    const text = file ? `OK - ${content.length}` : 'file not found';
    if (file) {
      file.content = content;
      file.uploaded = true;
    }
    this.record({
      method: 'upload',
      params: { file_id: fileId, bytes: content.length },
      at: Date.now(),
      status,
      ok: status === 200,
      response: { text },
    });
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(text);
  }
}

/** Starts a stand-in on host (default 127.0.0.1) and port (default: any free port). */
export async function startSlackStandIn(opts: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const standIn = new SlackStandIn(opts);
  await standIn.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return standIn;
}
