import type { AuditEvent, AuditEventInput } from '../../../src/audit/AuditEvent';
import type { AuditLog, AuditRange } from '../../../src/audit/AuditLog';
import { GENESIS_HASH, hashEvent } from '../../../src/audit/hashChain';

/**
 * In-memory audit log for unit tests: a real hash chain (so exports of it verify), times from
 * `now`, and `failOn` to make appends of one type throw.
 */
export class MemoryAuditLog implements AuditLog {
  readonly events: AuditEvent[] = [];
  failOn: string | null = null;

  constructor(private readonly now: () => number = () => Date.UTC(2026, 10, 21, 10)) {}

  append(e: AuditEventInput): Promise<AuditEvent> {
    if (e.type === this.failOn) return Promise.reject(new Error('audit down'));
    const prev = this.events.at(-1);
    const unsigned = {
      ...e,
      seq: this.events.length + 1,
      at: new Date(this.now()).toISOString(),
      prevHash: prev?.hash ?? GENESIS_HASH,
    };
    const event: AuditEvent = { ...unsigned, hash: hashEvent(unsigned) };
    this.events.push(event);
    return Promise.resolve(structuredClone(event));
  }

  async *read(range: AuditRange = {}): AsyncIterable<AuditEvent> {
    for (const e of [...this.events]) {
      const ms = Date.parse(e.at);
      if (range.since && ms < range.since.getTime()) continue;
      if (range.until && ms >= range.until.getTime()) continue;
      await Promise.resolve();
      yield structuredClone(e);
    }
  }
}
