import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppTokenMethod } from '../../../src/localSlack/dispatchApiCall';
import { apiError } from '../../../src/localSlack/MethodHandler';
import { WebSocketPeer } from './WebSocketPeer';

/** Slack waits this long for an envelope's ack before it gives up (or, for events, retries). */
export const SOCKET_ACK_DEADLINE_MS = 3000;
/** A ticket from apps.connections.open is good for one connection, soon. */
const TICKET_TTL_MS = 30_000;
/** How long a delivery waits for a connection (a client between two sockets, reconnecting). */
const CONNECTION_WAIT_MS = 20_000;

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** One envelope as Slack saw it: when it went out, when (and whether) it was acked. */
export interface Delivery {
  envelopeId: string;
  type: EnvelopeType;
  appToken: string;
  /** The connection of each attempt (an events_api envelope left unacked is sent twice). */
  connections: number[];
  sentAt: number;
  /** What the client acked with (`payload` of the ack), once acked. */
  ackPayload?: Record<string, unknown>;
  /** Milliseconds from the first send to the ack; undefined while unacked. */
  ackedAfterMs?: number;
  /** Acked, but after the deadline: Slack had already shown the user an error or retried. */
  late: boolean;
  /** No ack before the deadline of the last attempt. */
  missing: boolean;
}

export interface SocketConnection {
  id: number;
  appToken: string;
  openedAt: number;
  closedAt?: number;
  closeCode?: number;
}

interface Pending {
  delivery: Delivery;
  body: Record<string, unknown>;
  timer?: NodeJS.Timeout;
  done: (d: Delivery) => void;
}

/**
 * Slack's Socket Mode side, for tests: `apps.connections.open` (app-level tokens only) hands out
 * a one-time ws:// URL served here; each connection gets `hello`; envelopes go to one open
 * connection of the app and must be acked within SOCKET_ACK_DEADLINE_MS. Late and missing acks
 * are recorded; an unacked events_api envelope is sent once more with retry_attempt 1, as Slack
 * retries events (slash commands and interactivity are not retried: the user sees an error).
 */
export class SocketModeStandIn {
  /** e.g. "ws://127.0.0.1:4322" */
  origin = '';
  private readonly server: Server;
  private readonly tickets = new Map<string, { appToken: string; expires: number }>();
  private readonly peers = new Map<number, WebSocketPeer>();
  private readonly records: SocketConnection[] = [];
  private readonly pending = new Map<string, Pending>();
  /** Every delivery of the run (LocalSlack.reset keeps them: they are the ack figures). */
  private readonly log: Delivery[] = [];
  private readonly strays: unknown[] = [];
  private readonly changes = new EventEmitter();
  private nextConnection = 1;
  private turn = 0;

  constructor(
    private readonly opts: { appTokens: readonly string[]; appId: string; revoked?: string[] },
  ) {
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
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
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
    if (!this.opts.appTokens.includes(token) || this.opts.revoked?.includes(token)) {
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

  deliveries(): Delivery[] {
    return this.log.map((d) => ({ ...d, connections: [...d.connections] }));
  }

  /** Ack times of every delivery so far, for a suite to print (never to assert: no timed tests). */
  ackFigures(): { envelopes: number; maxMs: number; late: number; missing: number } {
    const times = this.log.map((d) => d.ackedAfterMs ?? 0);
    return {
      envelopes: this.log.length,
      maxMs: Math.max(0, ...times),
      late: this.log.filter((d) => d.late).length,
      missing: this.log.filter((d) => d.ackedAfterMs === undefined).length,
    };
  }

  /** Acks whose envelope_id matched nothing sent. */
  strayAcks(): unknown[] {
    return [...this.strays];
  }

  /** Resolves once `appToken` has had `count` connections in all (opened at any time). */
  waitForConnections(appToken: string, count: number, timeoutMs = CONNECTION_WAIT_MS) {
    return this.until(() => this.connections(appToken).length >= count, timeoutMs);
  }

  /**
   * The delivery once acked, even past the deadline (then `late`), or as it stands after
   * `timeoutMs`: a test that must not depend on speed waits here, and reads `late` as a figure.
   */
  async acked(envelopeId: string, timeoutMs: number): Promise<Delivery | undefined> {
    const find = () => this.log.find((d) => d.envelopeId === envelopeId);
    await this.until(() => find()?.ackedAfterMs !== undefined, timeoutMs).catch(() => undefined);
    const d = find();
    return d && { ...d, connections: [...d.connections] };
  }

  /** Resolves once no connection of `appToken` is open (a client that stopped). */
  waitForClosed(appToken: string, timeoutMs = CONNECTION_WAIT_MS) {
    return this.until(() => this.openConnections(appToken).length === 0, timeoutMs);
  }

  /**
   * Sends an envelope to one open connection of the app (round robin, as Slack spreads them)
   * and resolves with its record once it is acked or its last deadline passed.
   */
  async deliver(
    appToken: string,
    type: EnvelopeType,
    payload: Record<string, unknown>,
  ): Promise<Delivery> {
    const delivery: Delivery = {
      envelopeId: randomUUID(),
      type,
      appToken,
      connections: [],
      sentAt: Date.now(),
      late: false,
      missing: false,
    };
    this.log.push(delivery);
    const body: Record<string, unknown> = {
      envelope_id: delivery.envelopeId,
      payload,
      type,
      accepts_response_payload: type !== 'events_api',
      ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
    };
    return new Promise<Delivery>((resolve, reject) => {
      const pending: Pending = { delivery, body, done: resolve };
      this.pending.set(delivery.envelopeId, pending);
      this.send(pending).catch(reject);
    });
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

  private async send(p: Pending): Promise<void> {
    await this.until(
      () => this.openConnections(p.delivery.appToken).length > 0,
      CONNECTION_WAIT_MS,
    );
    const open = this.openConnections(p.delivery.appToken);
    const target = open[this.turn++ % open.length];
    const peer = target ? this.peers.get(target.id) : undefined;
    if (!target || !peer) throw new Error('no open Socket Mode connection');
    if (p.delivery.connections.length === 0) p.delivery.sentAt = Date.now();
    p.delivery.connections.push(target.id);
    peer.send(JSON.stringify(p.body));
    p.timer = setTimeout(() => this.deadlinePassed(p), SOCKET_ACK_DEADLINE_MS);
  }

  private deadlinePassed(p: Pending): void {
    if (p.delivery.type === 'events_api' && p.delivery.connections.length === 1) {
      p.body = { ...p.body, retry_attempt: 1, retry_reason: 'timeout' };
      this.send(p).catch(() => this.finishMissing(p));
      return;
    }
    this.finishMissing(p);
  }

  private finishMissing(p: Pending): void {
    this.pending.delete(p.delivery.envelopeId);
    p.delivery.missing = true;
    p.done(p.delivery);
  }

  private attach(peer: WebSocketPeer, appToken: string): void {
    const record: SocketConnection = { id: this.nextConnection++, appToken, openedAt: Date.now() };
    this.records.push(record);
    this.peers.set(record.id, peer);
    peer.on('message', (text: string) => this.onAck(text));
    peer.on('close', (code: number) => {
      record.closedAt = Date.now();
      record.closeCode = code;
      this.peers.delete(record.id);
      this.changes.emit('change');
    });
    peer.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.openConnections(appToken).length,
        debug_info: { host: 'applink-stand-in', approximate_connection_time: 18060 },
        connection_info: { app_id: this.opts.appId },
      }),
    );
    this.changes.emit('change');
  }

  private onAck(text: string): void {
    let ack: { envelope_id?: unknown; payload?: unknown };
    try {
      ack = JSON.parse(text) as typeof ack;
    } catch {
      this.strays.push(text);
      return;
    }
    const id = typeof ack.envelope_id === 'string' ? ack.envelope_id : '';
    const p = this.pending.get(id);
    const delivery = p?.delivery ?? this.log.find((d) => d.envelopeId === id);
    if (!delivery || delivery.ackedAfterMs !== undefined) {
      this.strays.push(ack);
      return;
    }
    delivery.ackedAfterMs = Date.now() - delivery.sentAt;
    delivery.ackPayload =
      ack.payload && typeof ack.payload === 'object'
        ? (ack.payload as Record<string, unknown>)
        : {};
    if (!p) {
      // After the last deadline: Slack already showed the user an error.
      delivery.late = true;
      this.changes.emit('change');
      return;
    }
    clearTimeout(p.timer);
    this.pending.delete(id);
    p.done(delivery);
  }

  private until(test: () => boolean, timeoutMs: number): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.changes.off('change', check);
        reject(new Error(`Socket Mode stand-in: condition not met in ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        if (!test()) return;
        clearTimeout(timer);
        this.changes.off('change', check);
        resolve();
      };
      this.changes.on('change', check);
    });
  }
}
