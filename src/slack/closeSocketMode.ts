import type { SocketModeReceiver } from '@slack/bolt';
import type { Log } from '../domain/Log';

/** How long a stopping serve waits for Slack to answer its WebSocket close. */
export const SOCKET_CLOSE_WAIT_MS = 5000;

/**
 * Closes the Socket Mode WebSocket and waits for the close handshake: Bolt's app.stop() does not
 * wait, so serve would exit with the socket half-closed or linger on the client's 30 s timer.
 */
export async function closeSocketMode(receiver: SocketModeReceiver, log: Log): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    receiver.client.disconnect().then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), SOCKET_CLOSE_WAIT_MS);
    }),
  ]);
  clearTimeout(timer);
  if (!closed) {
    log.warn({ waitedMs: SOCKET_CLOSE_WAIT_MS }, 'socket mode close handshake timed out');
  }
}
