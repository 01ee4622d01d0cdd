import type { SshConnection } from './openSshConnection';

/** Ends politely, then destroys if the server does not answer promptly. */
export function endSshConnection(conn: SshConnection): Promise<void> {
  return new Promise((resolve) => {
    if (conn.socket.destroyed) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      conn.socket.destroy();
      resolve();
    }, 1000);
    timer.unref();
    conn.socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    conn.client.end();
  });
}
