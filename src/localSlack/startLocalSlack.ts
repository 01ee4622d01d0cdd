import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkMessageContent } from './checkMessageContent';
import { decodeParams } from './decodeParams';
import { authTest } from './authTest';
import { readBody } from '../http/readBody';
import { chatMethods } from './chatMethods';
import { conversationsInfo } from './conversationsInfo';
import { conversationsMethods } from './conversationsMethods';
import { conversationsOpen } from './conversationsOpen';
import { fileMethods, UPLOAD_PATH } from './fileMethods';
import { parseMultipartFile } from './parseMultipartFile';
import { SlackRateLimits } from './SlackRateLimits';
import { usergroupsUsersList } from './usergroupsUsersList';
import { viewsOpen } from './viewsOpen';
import {
  dispatchApiCall,
  type AppTokenMethod,
  type CallInterceptor,
  type Dispatcher,
} from './dispatchApiCall';
import { apiError, type HandlerContext, type MethodHandler } from './MethodHandler';
import { LocalSlackStore } from './LocalSlackStore';
import type { StoreOptions } from './LocalSlackStore';
import type { MethodResult, Params, RecordedCall } from './localSlackTypes';

/** The Web API methods portbot calls; nothing else is served unless added with `methods`. */
const PORTBOT_METHODS: Readonly<Record<string, MethodHandler>> = {
  ...chatMethods,
  ...conversationsMethods,
  'conversations.info': conversationsInfo,
  'conversations.open': conversationsOpen,
  'auth.test': authTest,
  'views.open': viewsOpen,
  'usergroups.users.list': usergroupsUsersList,
  ...fileMethods,
};

export interface LocalSlackOptions extends StoreOptions {
  port?: number;
  host?: string;
  /** Called after every recorded call (the CLI logs them as JSON lines). */
  onCall?: (call: RecordedCall) => void;
  maxBodyBytes?: number;
  /** Methods served besides portbot's own (a test harness adds lookups). */
  methods?: Record<string, MethodHandler>;
  /** Methods that take an app-level token (a test harness adds apps.connections.open). */
  appTokenMethods?: Record<string, AppTokenMethod>;
  intercept?: CallInterceptor;
  /**
   * Awaited before a Web API call runs: a test harness holds a call there (a slow Slack) or
   * answers 'drop' to close the connection unanswered (a post that never reached Slack).
   */
  beforeCall?: (method: string, params: Params) => Promise<'run' | 'drop'>;
  /** Answer 429 past Slack's published limits (SLACK_TIERS), as Slack does; on by default. */
  enforceRateLimits?: boolean;
}

const RESPONSE_URL_PATH = '/response-url/';

function send(res: ServerResponse, r: MethodResult): void {
  res.writeHead(r.status ?? 200, {
    'content-type': 'application/json; charset=utf-8',
    ...(r.headers ?? {}),
  });
  res.end(JSON.stringify(r.body));
}

/**
 * Slack's Web API on this machine, for local mode: point `new WebClient(token, { slackApiUrl:
 * localSlack.url })` (or Bolt's `clientOptions.slackApiUrl`) at it. It keeps messages and threads,
 * records every call, and answers errors and limits in Slack's shapes.
 */
export class LocalSlack extends LocalSlackStore {
  /** Base URL for `slackApiUrl`, ending in "/api/". */
  url = '';
  /** e.g. "http://127.0.0.1:4321" */
  origin = '';
  port = 0;
  private readonly server: Server;
  private readonly maxBodyBytes: number;
  private readonly dispatcher: Dispatcher;
  private readonly beforeCall: LocalSlackOptions['beforeCall'];

  constructor(opts: LocalSlackOptions = {}) {
    super(opts);
    this.maxBodyBytes = opts.maxBodyBytes ?? 20 * 1024 * 1024;
    this.dispatcher = {
      methods: { ...opts.methods, ...PORTBOT_METHODS },
      ...(opts.appTokenMethods ? { appTokenMethods: opts.appTokenMethods } : {}),
      ...(opts.intercept ? { intercept: opts.intercept } : {}),
      ...(opts.enforceRateLimits === false ? {} : { rateLimits: new SlackRateLimits() }),
    };
    this.beforeCall = opts.beforeCall;
    const onCall = opts.onCall;
    if (onCall) this.events.on('call', (c: RecordedCall) => onCall(c));
    this.server = createServer((req, res) => {
      readBody(req, this.maxBodyBytes).then(
        (read) =>
          read.ok
            ? this.route(req, res, read.body)
            : send(res, { status: 413, body: apiError('request_too_large') }),
        () => send(res, { status: 400, body: apiError('request_timeout') }),
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
      const call = { method, params: decoded.params, bearer: auth?.[1] };
      const run = () => send(res, dispatchApiCall(this.context(), this.dispatcher, call));
      if (!this.beforeCall) return run();
      void this.beforeCall(method, decoded.params).then((next) =>
        next === 'run' ? run() : req.socket.destroy(),
      );
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
   * A `response_url` served by the local Slack, for slash command tests: what Bolt's `respond()`
   * posts there is recorded as method "response_url".
   */
  responseUrl(id = 'default'): string {
    return `${this.origin}${RESPONSE_URL_PATH}${encodeURIComponent(id)}`;
  }

  /**
   * An upload URL from files.getUploadURLExternal: raw bytes or a multipart form, as Slack takes
   * both; plain text back, 200 only when the bytes were stored. Recorded as method "upload".
   */
  private acceptUpload(
    token: string,
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
  ): void {
    const answer = this.uploads.receive(
      token,
      parseMultipartFile(req.headers['content-type'], body),
    );
    this.record({
      method: 'upload',
      params: { ...(answer.fileId ? { file_id: answer.fileId } : {}), bytes: answer.bytes },
      at: Date.now(),
      status: answer.status,
      ok: answer.status === 200,
      response: { text: answer.text },
    });
    res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(answer.text);
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

  private context(): HandlerContext {
    return { store: this, origin: this.origin };
  }
}

/** Starts a local Slack on host (default 127.0.0.1) and port (default: any free port). */
export async function startLocalSlack(opts: LocalSlackOptions = {}): Promise<LocalSlack> {
  const localSlack = new LocalSlack(opts);
  await localSlack.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return localSlack;
}
