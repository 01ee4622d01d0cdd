import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Log } from '../domain/Log';

/**
 * Refuses a remote address's connections beyond `max` at once by destroying them on arrival:
 * the server-wide cap alone lets one client hold every slot and lock out Slack and /healthz.
 */
export function capConnectionsPerAddress(server: Server, max: number, log: Log): void {
  const open = new Map<string, number>();
  let warned = new Set<string>();
  // One warning per address per minute: a flood must not become a flood of log lines too.
  setInterval(() => (warned = new Set()), 60_000).unref();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = open.get(address) ?? 0;
    if (count >= max) {
      if (!warned.has(address)) {
        warned.add(address);
        log.warn({ address, max }, 'connection over the per-address cap refused');
      }
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
