import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { DelayedPipe } from './DelayedPipe';

export interface RelayRoute {
  listenHost: string;
  listenPort: number;
  targetHost: string;
  targetPort: number;
}

export interface DelayRelayOptions {
  /** One-way delay added to every chunk, each direction (25 ms: a 50 ms round trip). */
  delayMs: number;
  routes: readonly RelayRoute[];
}

/**
 * What crossed the relay since it started, all connections summed (bench/README.md "Far away
 * hosts" defines how the bench turns these into round trips). "up" is client → server.
 */
export interface RelayStats {
  connections: number;
  chunksUp: number;
  chunksDown: number;
  bytesUp: number;
  bytesDown: number;
  /**
   * Maximal runs of chunks in one direction, per connection, in the order they left the relay
   * (arrival + delay: the order on the modelled wire, where the server's first bytes follow the
   * handshake).
   */
  flightsUp: number;
  flightsDown: number;
  /** Server → client flights that follow a client → server flight: a request answered. */
  exchanges: number;
  /** Connections that ended on a socket error (reset, refused upstream). */
  errors: number;
}

export function emptyRelayStats(): RelayStats {
  return {
    connections: 0,
    chunksUp: 0,
    chunksDown: 0,
    bytesUp: 0,
    bytesDown: 0,
    flightsUp: 0,
    flightsDown: 0,
    exchanges: 0,
    errors: 0,
  };
}

/**
 * A TCP relay that puts hosts far away: the kernel here has no netem, so latency is added in
 * userspace. The kernel completes the client's TCP handshake at once; the relay makes up for
 * it by delivering nothing before 1.5 round trips after accept (SYN, SYN-ACK, ACK, the last one
 * carrying the client's first bytes), so a connection costs one round trip more than its data
 * exchanges, as over a real link. Half-close passes through (FIN is delayed like data); an
 * error on either side (a reset, a refused upstream) resets both at once.
 */
export class DelayRelay {
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();
  readonly stats: RelayStats = emptyRelayStats();

  constructor(private readonly opts: DelayRelayOptions) {}

  async listen(): Promise<void> {
    for (const r of this.opts.routes) {
      const server = createServer({ allowHalfOpen: true, noDelay: true }, (c) => this.relay(c, r));
      this.servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(r.listenPort, r.listenHost, () => {
          server.off('error', reject);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise((r) => s.close(r))));
  }

  private relay(client: Socket, r: RelayRoute): void {
    const s = this.stats;
    s.connections += 1;
    const handshakeDone = performance.now() + 3 * this.opts.delayMs;
    const upstream = createConnection({
      host: r.targetHost,
      port: r.targetPort,
      allowHalfOpen: true,
      noDelay: true,
    });
    let last: 'up' | 'down' | null = null;
    const turn = (dir: 'up' | 'down', bytes: number): void => {
      if (dir === 'up') {
        s.chunksUp += 1;
        s.bytesUp += bytes;
        if (last !== 'up') s.flightsUp += 1;
      } else {
        s.chunksDown += 1;
        s.bytesDown += bytes;
        if (last !== 'down') s.flightsDown += 1;
        if (last === 'up') s.exchanges += 1;
      }
      last = dir;
    };
    const d = this.opts.delayMs;
    const pipes = [
      new DelayedPipe(client, upstream, d, handshakeDone, (n) => turn('up', n)),
      new DelayedPipe(upstream, client, d, handshakeDone + d, (n) => turn('down', n)),
    ];
    let failed = false;
    const fail = (): void => {
      if (!failed) s.errors += 1;
      failed = true;
      for (const p of pipes) p.stop();
      // A reset, not a FIN: the other side must see that the connection broke.
      for (const sock of [client, upstream]) if (!sock.destroyed) sock.resetAndDestroy();
    };
    for (const sock of [client, upstream]) {
      this.sockets.add(sock);
      sock.on('error', fail);
      sock.on('close', () => this.sockets.delete(sock));
    }
  }
}
