import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppTokenMethod } from '../../../src/localSlack/dispatchApiCall';
import { apiError } from '../../../src/localSlack/MethodHandler';
import { ChangeSignal } from './ChangeSignal';
import { EnvelopeDeliveries, type Delivery, type EnvelopeType } from './EnvelopeDeliveries';
import { WebSocketPeer } from './WebSocketPeer';

export { SOCKET_ACK_DEADLINE_MS, type Delivery, type EnvelopeType } from './EnvelopeDeliveries';

/** A ticket from apps.connections.open is good for one connection, soon. */
const TICKET_TTL_MS = 30_000;
/** How long a delivery waits for a connection (a client between two sockets, reconnecting). */
const CONNECTION_WAIT_MS = 20_000;

export interface SocketConnection {
  id: number;
  appToken: string;
  openedAt: number;
  closedAt?: number;
  closeCode?: number;
}

/**
 * Slack's Socket Mode side, for tests: `apps.connections.open` (app-level tokens only) hands out
 * a one-time ws:// URL served here; each connection gets `hello`; envelopes go to one open
 * connection of the app, acks are kept by EnvelopeDeliveries; `disconnect` on request.
 */
export class SocketModeStandIn {
  /** e.g. "ws://127.0.0.1:4322" */
  origin = '';
  private readonly server: Server;
  private readonly tickets = new Map<string, { appToken: string; expires: number }>();
  private readonly peers = new Map<number, WebSocketPeer>();
  private readonly records: SocketConnection[] = [];
  private readonly changes = new ChangeSignal();
  private readonly envelopes = new EnvelopeDeliveries(
    (appToken) => this.connectionFor(appToken),
    this.changes,
  );
  private nextConnection = 1;
  private turn = 0;

  constructor(private readonly opts: { appTokens: readonly string[]; appId: string }) {
    this.server = createServer((_req, res) => {
      res.writeHead(404).end();
    });
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'ws://stand-in');
      const ticket = url.searchParams.get('ticket') ?? '';
      const issued = this.tickets.get(ticket);
      this.tickets.delete(ticket);
      if (url.pathname !== '/link/' || !issued || issued.expires < Date.now()) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n');
        return;
      }
      const peer = WebSocketPeer.accept(req, socket, head);
      if (peer) this.attach(peer, issued.appToken);
    });
  }

  async listen(host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, host, () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.origin = `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  async close(): Promise<void> {
    this.envelopes.close();
    for (const peer of this.peers.values()) peer.destroy();
    await new Promise<void>((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /** apps.connections.open: Slack takes only an app-level token (xapp-) with connections:write. */
  readonly connectionsOpen: AppTokenMethod = (token) => {
    if (!token) return { body: apiError('not_authed') };
    if (!token.startsWith('xapp-')) return { body: apiError('not_allowed_token_type') };
    if (!this.opts.appTokens.includes(token)) {
      return { body: apiError('invalid_auth') };
    }
    const ticket = randomUUID();
    this.tickets.set(ticket, { appToken: token, expires: Date.now() + TICKET_TTL_MS });
    return {
      body: { ok: true, url: `${this.origin}/link/?ticket=${ticket}&app_id=${this.opts.appId}` },
    };
  };

  connections(appToken?: string): SocketConnection[] {
    return this.records.filter((c) => !appToken || c.appToken === appToken).map((c) => ({ ...c }));
  }

  openConnections(appToken: string): SocketConnection[] {
    return this.connections(appToken).filter((c) => this.peers.get(c.id)?.isOpen);
  }

  /** Resolves once `appToken` has had `count` connections in all (opened at any time). */
  waitForConnections(appToken: string, count: number, timeoutMs = CONNECTION_WAIT_MS) {
    return this.changes.until(
      () => this.connections(appToken).length >= count,
      timeoutMs,
      `${count} Socket Mode connections`,
    );
  }

  /** Resolves once no connection of `appToken` is open (a client that stopped). */
  waitForClosed(appToken: string, timeoutMs = CONNECTION_WAIT_MS) {
    return this.changes.until(
      () => this.openConnections(appToken).length === 0,
      timeoutMs,
      'every Socket Mode connection closed',
    );
  }

  /**
   * Sends an envelope to one open connection of the app (round robin, as Slack spreads them)
   * and resolves with its record once it is acked or its last deadline passed.
   */
  deliver(
    appToken: string,
    type: EnvelopeType,
    payload: Record<string, unknown>,
    envelopeId?: string,
  ) {
    return this.envelopes.deliver(appToken, type, payload, envelopeId);
  }

  /** The delivery once acked, even late, or as it stands after `timeoutMs`. */
  acked(envelopeId: string, timeoutMs: number): Promise<Delivery | undefined> {
    return this.envelopes.acked(envelopeId, timeoutMs);
  }

  deliveries(): Delivery[] {
    return this.envelopes.deliveries();
  }

  /** Ack times of every delivery so far, for a suite to print (never to assert: no timed tests). */
  ackFigures() {
    return this.envelopes.ackFigures();
  }

  /** Acks whose envelope_id matched nothing sent. */
  strayAcks(): unknown[] {
    return this.envelopes.strayAcks();
  }

  /** Slack's `disconnect` (refresh_requested) to every open connection of the app. */
  requestRefresh(appToken: string): number {
    const open = this.openConnections(appToken);
    for (const c of open) {
      const peer = this.peers.get(c.id);
      peer?.send(
        JSON.stringify({
          type: 'disconnect',
          reason: 'refresh_requested',
          debug_info: { host: 'applink-stand-in' },
        }),
      );
      // Slack closes a refreshed socket itself if the client lingers.
      setTimeout(() => peer?.close(1000, 'refresh'), 10_000).unref();
    }
    return open.length;
  }

  private async connectionFor(appToken: string) {
    await this.changes.until(
      () => this.openConnections(appToken).length > 0,
      CONNECTION_WAIT_MS,
      'an open Socket Mode connection',
    );
    const open = this.openConnections(appToken);
    const target = open[this.turn++ % open.length];
    const peer = target ? this.peers.get(target.id) : undefined;
    if (!target || !peer) throw new Error('no open Socket Mode connection');
    return { id: target.id, send: (text: string) => peer.send(text) };
  }

  private attach(peer: WebSocketPeer, appToken: string): void {
    const record: SocketConnection = { id: this.nextConnection++, appToken, openedAt: Date.now() };
    this.records.push(record);
    this.peers.set(record.id, peer);
    peer.on('message', (text: string) => this.envelopes.receive(text));
    peer.on('close', (code: number) => {
      record.closedAt = Date.now();
      record.closeCode = code;
      this.peers.delete(record.id);
      this.changes.emit();
    });
    peer.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.openConnections(appToken).length,
        debug_info: { host: 'applink-stand-in', approximate_connection_time: 18060 },
        connection_info: { app_id: this.opts.appId },
      }),
    );
    this.changes.emit();
  }
}
