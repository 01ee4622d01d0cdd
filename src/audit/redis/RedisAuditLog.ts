import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { PortbotError } from '../../domain/PortbotError';
import { runLuaScript } from '../../redis/runLuaScript';
import type { AuditEvent, AuditEventInput } from '../AuditEvent';
import { AuditEventInputSchema } from './AuditEventInputSchema';
import type { AuditLog, AuditRange, OnMalformedEntry } from '../AuditLog';
import { APPEND_SCRIPT } from './appendScript';
import { canonicalJson, GENESIS_HASH, hashEvent } from '../hashChain';
import { parseAuditEvent } from './parseAuditEvent';

export const AUDIT_STREAM_KEY = 'portbot:audit';

export interface AuditHead {
  seq: number;
  hash: string;
  /** time of the head event (ms since epoch); later events never go back before it */
  ms: number;
}

/** A raw stream entry: the event, or why it could not be read as one (and the JSON it held). */
export type AuditEntry =
  { id: string; event: AuditEvent } | { id: string; error: string; json?: unknown };

/**
 * How long one batch may keep losing the race for the head. Bounded by time, not by rounds: a
 * writer that keeps appending wins round after round while the others step aside, so under CPU
 * load a fixed number of rounds (200) ran out before the busy writer was done.
 */
const MAX_RACING_MS = 30_000;
const MAX_BATCH = 100;

interface PendingAppend {
  input: AuditEventInput;
  resolve: (e: AuditEvent) => void;
  reject: (err: unknown) => void;
}
const PAGE_SIZE = 500;

/**
 * The audit log on a Redis Stream (never trimmed) plus a small head hash `<key>:head`
 * {seq, hash, ms}. Stream ids are `<ms>-<seq>`: time-ordered for XRANGE by date, and they carry
 * the seq so an entry cannot be moved without the id giving it away.
 */
export class RedisAuditLog implements AuditLog {
  private readonly key: string;
  private readonly headKey: string;
  private readonly now: () => number;
  /** Last head this process saw: an uncontended append is then one round trip. */
  private head: AuditHead | null = null;
  private readonly pending: PendingAppend[] = [];
  private draining = false;
  /** Appends retried because another writer moved the head first (for metrics and tests). */
  conflicts = 0;

  constructor(
    private readonly redis: Redis,
    opts: { key?: string; now?: () => number } = {},
  ) {
    this.key = opts.key ?? AUDIT_STREAM_KEY;
    this.headKey = `${this.key}:head`;
    this.now = opts.now ?? Date.now;
  }

  append(input: AuditEventInput): Promise<AuditEvent> {
    try {
      // Fail this caller alone (e.g. NaN in detail) rather than the batch it would join.
      canonicalJson(input);
      if (input.port !== null && !Number.isInteger(input.port)) {
        throw new PortbotError('INTERNAL', `audit port must be an integer, got ${input.port}`, {
          userFacing: false,
        });
      }
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const checked = AuditEventInputSchema.safeParse(input);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const where = issue?.path.join('.') || 'event';
      return Promise.reject(
        new PortbotError(
          'AUDIT_INVALID',
          `audit event ${JSON.stringify(String(input.type).slice(0, 60))} refused: ${where}: ${issue?.message ?? 'invalid'}`,
          { userFacing: false },
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  /**
   * One batch in flight per process: racing our own appends would only add conflicts, and an
   * alert storm's events then cost one script call per batch instead of one per event.
   */
  private async drain(): Promise<void> {
    this.draining = true;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      try {
        const events = await this.appendBatch(batch.map((p) => p.input));
        batch.forEach((p, i) => p.resolve(events[i] as AuditEvent));
      } catch (err) {
        this.head = null;
        batch.forEach((p) => p.reject(err));
      }
    }
    this.draining = false;
  }

  private async appendBatch(inputs: AuditEventInput[]): Promise<AuditEvent[]> {
    let head = this.head ?? (await this.readHead()) ?? { seq: 0, hash: GENESIS_HASH, ms: 0 };
    const deadline = performance.now() + MAX_RACING_MS;
    for (let attempt = 1; ; attempt += 1) {
      // Clamped to the head's time so `at` never goes backwards when hosts' clocks disagree.
      const ms = Math.max(this.now(), head.ms);
      const events = chainEvents(inputs, head, ms);
      const last = events.at(-1) ?? { seq: head.seq, hash: head.hash };
      const reply = await runLuaScript(
        this.redis,
        APPEND_SCRIPT,
        [this.key, this.headKey],
        [
          String(head.seq),
          head.hash,
          String(last.seq),
          last.hash,
          String(ms),
          ...events.flatMap((e) => [`${ms}-${e.seq}`, canonicalJson(e)]),
        ],
      );
      if (!Array.isArray(reply)) throw new PortbotError('INTERNAL', 'audit append: odd reply');
      if (reply[0] === 1) {
        this.head = { seq: last.seq, hash: last.hash, ms };
        return events;
      }
      this.conflicts += 1;
      head = { seq: Number(reply[1]), hash: String(reply[2]), ms: Number(reply[3]) };
      if (performance.now() > deadline) {
        throw new PortbotError(
          'INTERNAL',
          `audit append lost ${attempt} races in a row over ${MAX_RACING_MS / 1000} s`,
          { userFacing: false },
        );
      }
      // Several writers racing: after a few lost rounds, step aside briefly to let one through.
      if (attempt > 3) await sleep(Math.random() * Math.min(attempt, 20));
    }
  }

  async *read(range: AuditRange, onMalformed?: OnMalformedEntry): AsyncIterable<AuditEvent> {
    for await (const entry of this.entries(range)) {
      // One bad entry must not hide every good one after it: report it and go on.
      if ('error' in entry) onMalformed?.(entry.id, entry.error);
      else yield entry.event;
    }
  }

  /** Stream entries in id order, page by page, without judging them (what `verify` needs). */
  async *entries(range: AuditRange = {}): AsyncIterable<AuditEntry> {
    let start = range.since ? String(Math.max(0, range.since.getTime())) : '-';
    let end = '+';
    if (range.until) {
      const last = range.until.getTime() - 1;
      if (last < 0) return;
      end = String(last);
    }
    for (;;) {
      const page = await this.redis.xrange(this.key, start, end, 'COUNT', PAGE_SIZE);
      for (const [id, fields] of page) yield toEntry(id, fields);
      const lastId = page.at(-1)?.[0];
      if (page.length < PAGE_SIZE || lastId === undefined) return;
      start = `(${lastId}`;
    }
  }

  /** The head as stored, or null for a log nothing was ever appended to. */
  async readHead(): Promise<AuditHead | null> {
    const [seq, hash, ms] = await this.redis.hmget(this.headKey, 'seq', 'hash', 'ms');
    if (seq == null || hash == null) return null;
    return { seq: Number(seq), hash, ms: Number(ms ?? 0) };
  }
}

function toEntry(id: string, fields: string[]): AuditEntry {
  if (fields.length !== 2 || fields[0] !== 'event' || fields[1] === undefined) {
    return { id, error: `expected one field 'event', found ${fields.length / 2}` };
  }
  const parsed = parseAuditEvent(fields[1]);
  if (parsed.ok) return { id, event: parsed.event };
  return parsed.json === undefined
    ? { id, error: parsed.error }
    : { id, error: parsed.error, json: parsed.json };
}

/** The batch's events chained onto `head`, all stamped with the same time. */
function chainEvents(inputs: AuditEventInput[], head: AuditHead, ms: number): AuditEvent[] {
  const at = new Date(ms).toISOString();
  let prev = { seq: head.seq, hash: head.hash };
  return inputs.map((input) => {
    const unsigned: Omit<AuditEvent, 'hash'> = {
      seq: prev.seq + 1,
      at,
      type: input.type,
      actor: input.actor,
      incidentId: input.incidentId,
      host: input.host,
      port: input.port,
      detail: { ...input.detail },
      prevHash: prev.hash,
    };
    const event = { ...unsigned, hash: hashEvent(unsigned) };
    prev = event;
    return event;
  });
}
