import { randomUUID } from 'node:crypto';
import type { ChangeSignal } from './ChangeSignal';

/** Slack waits this long for an envelope's ack before it gives up (or, for events, retries). */
export const SOCKET_ACK_DEADLINE_MS = 3000;

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

interface Pending {
  delivery: Delivery;
  body: Record<string, unknown>;
  timer?: NodeJS.Timeout;
  done: (d: Delivery) => void;
}

/** Where an envelope goes: an open connection of the app (waiting for one if none is open). */
export type ConnectionFor = (appToken: string) => Promise<{ id: number; send(text: string): void }>;

/**
 * Envelopes and their acks, as Slack keeps them: each must be acked within
 * SOCKET_ACK_DEADLINE_MS; late and missing acks are recorded; an unacked events_api envelope is
 * sent once more with retry_attempt 1, as Slack retries events (slash commands and interactivity
 * are not retried: the user sees an error).
 */
export class EnvelopeDeliveries {
  private readonly pending = new Map<string, Pending>();
  /** Every delivery of the run (LocalSlack.reset keeps them: they are the ack figures). */
  private readonly log: Delivery[] = [];
  private readonly strays: unknown[] = [];

  constructor(
    private readonly connectionFor: ConnectionFor,
    private readonly changes: ChangeSignal,
  ) {}

  close(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
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

  /**
   * The delivery once acked, even past the deadline (then `late`), or as it stands after
   * `timeoutMs`: a test that must not depend on speed waits here, and reads `late` as a figure.
   */
  async acked(envelopeId: string, timeoutMs: number): Promise<Delivery | undefined> {
    const find = () => this.log.find((d) => d.envelopeId === envelopeId);
    await this.changes
      .until(() => find()?.ackedAfterMs !== undefined, timeoutMs, 'ack')
      .catch(() => undefined);
    const d = find();
    return d && { ...d, connections: [...d.connections] };
  }

  /**
   * Sends an envelope to one open connection of the app (round robin, as Slack spreads them)
   * and resolves with its record once it is acked or its last deadline passed.
   */
  async deliver(
    appToken: string,
    type: EnvelopeType,
    payload: Record<string, unknown>,
    /** Another delivery of an envelope already sent (a redelivery after a reconnect). */
    envelopeId: string = randomUUID(),
  ): Promise<Delivery> {
    const delivery: Delivery = {
      envelopeId,
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

  private async send(p: Pending): Promise<void> {
    const target = await this.connectionFor(p.delivery.appToken);
    if (p.delivery.connections.length === 0) p.delivery.sentAt = Date.now();
    p.delivery.connections.push(target.id);
    target.send(JSON.stringify(p.body));
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

  /** A message from a connection: the ack of an envelope (anything else is recorded as stray). */
  receive(text: string): void {
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
      this.changes.emit();
      return;
    }
    clearTimeout(p.timer);
    this.pending.delete(id);
    this.changes.emit();
    p.done(delivery);
  }
}
