import type { ServerResponse } from 'node:http';
import { sendJson } from './sendJson';

/** Long enough for the client to read the answer, short enough that it cannot keep streaming. */
const LINGER_MS = 500;

/**
 * Answers and drops the connection without reading the rest of the request: a client that
 * announced (or started streaming) a huge body must not keep us reading it after the refusal.
 * FIN first, reset a moment later: destroying a socket with unread input sends an RST at once,
 * and the client's kernel would then discard the answer before the client read it.
 */
export function replyAndClose(res: ServerResponse, status: number, body: unknown): void {
  res.shouldKeepAlive = false;
  res.setHeader('connection', 'close');
  const socket = res.socket;
  if (socket) {
    // Node ends a `connection: close` response with destroySoon(): FIN, then destroy at once.
    socket.destroySoon = () => {
      socket.end();
      socket.pause();
      setTimeout(() => socket.destroy(), LINGER_MS).unref();
    };
  }
  sendJson(res, status, body);
}

/** The announced body length, when the client sent one we can read as a number. */
export function declaredLength(headers: { 'content-length'?: string | undefined }): number | null {
  const n = Number(headers['content-length'] ?? NaN);
  return Number.isFinite(n) ? n : null;
}
