import type { ServerResponse } from 'node:http';
import { sendJson } from './sendJson';

/**
 * Answers and drops the connection without reading the rest of the request: a client that
 * announced (or started streaming) a huge body must not keep us reading it after the refusal.
 */
export function replyAndClose(res: ServerResponse, status: number, body: unknown): void {
  res.shouldKeepAlive = false;
  res.setHeader('connection', 'close');
  res.once('finish', () => res.socket?.destroy());
  sendJson(res, status, body);
}

/** The announced body length, when the client sent one we can read as a number. */
export function declaredLength(headers: { 'content-length'?: string | undefined }): number | null {
  const n = Number(headers['content-length'] ?? NaN);
  return Number.isFinite(n) ? n : null;
}
