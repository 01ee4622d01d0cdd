import type { AuditEvent, AuditEventInput } from './AuditEvent';

export interface AuditRange {
  /** inclusive */
  since?: Date;
  /** exclusive */
  until?: Date;
}

/** The append-only, hash-chained audit log the rest of portbot writes to. */
export interface AuditLog {
  /** Appends one event atomically at the head of the chain and returns it as stored. */
  append(e: AuditEventInput): Promise<AuditEvent>;
  /** Events in chain order whose time lies in the range. */
  read(range: AuditRange): AsyncIterable<AuditEvent>;
}
