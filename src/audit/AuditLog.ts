import type { AuditEvent, AuditEventInput } from './AuditEvent';

export interface AuditRange {
  /** inclusive */
  since?: Date;
  /** exclusive */
  until?: Date;
}

/** Told about each stored entry that is not a well-formed event (it is skipped, not fatal). */
export type OnMalformedEntry = (id: string, error: string) => void;

/** The append-only, hash-chained audit log the rest of portbot writes to. */
export interface AuditLog {
  /**
   * Appends one event atomically at the head of the chain and returns it as stored; a malformed
   * event is refused (PortbotError AUDIT_INVALID) and never written.
   */
  append(e: AuditEventInput): Promise<AuditEvent>;
  /** Well-formed events in chain order whose time lies in the range. */
  read(range: AuditRange, onMalformed?: OnMalformedEntry): AsyncIterable<AuditEvent>;
}
