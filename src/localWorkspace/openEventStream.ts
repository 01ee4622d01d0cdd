import type { IncomingMessage, ServerResponse } from 'node:http';

/** Changes come in bursts (a post, then its thread's root updated): one snapshot per burst. */
const COALESCE_MS = 40;
/** A comment line now and then keeps proxies and the browser from calling the stream dead. */
const KEEPALIVE_MS = 20_000;

/**
 * A server-sent event stream: the whole snapshot now and after every change (event "snapshot").
 * Returns the stop, which ends the response; the client going away stops it too.
 */
export function openEventStream(
  req: IncomingMessage,
  res: ServerResponse,
  o: {
    snapshot: () => unknown;
    onChange: (listener: () => void) => () => void;
    onEnd: () => void;
  },
): () => void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  let pending: NodeJS.Timeout | undefined;
  // Each snapshot is the whole state: while the client is not reading (a frozen tab, a stream
  // opened and never read), later ones replace the unsent, so one snapshot is queued at most.
  let stale = false;
  const flush = () => {
    pending = undefined;
    if (res.writableNeedDrain) {
      stale = true;
      return;
    }
    stale = false;
    res.write(`event: snapshot\ndata: ${JSON.stringify(o.snapshot())}\n\n`);
  };
  res.on('drain', () => {
    if (stale) flush();
  });
  const unsubscribe = o.onChange(() => {
    pending ??= setTimeout(flush, COALESCE_MS);
  });
  const keepalive = setInterval(() => {
    if (!res.writableNeedDrain) res.write(': keepalive\n\n');
  }, KEEPALIVE_MS);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    clearInterval(keepalive);
    if (pending) clearTimeout(pending);
    o.onEnd();
    res.end();
  };
  req.on('close', stop);
  try {
    flush();
  } catch (err) {
    // The caller never gets `stop` (nor registers it): end the stream here, without onEnd, so
    // nothing stays subscribed and a later close cannot reach an unassigned stop of the caller's.
    stopped = true;
    unsubscribe();
    clearInterval(keepalive);
    res.end();
    throw err;
  }
  return stop;
}
