/** A value inside an audit event's `detail`: flat on purpose, so CSV/SIEM columns stay simple. */
export type AuditDetailValue = string | number | boolean | null;

/**
 * One entry of the tamper-evident audit log. `hash` is the sha256 of the canonical JSON of every
 * other field (prevHash included), so each event commits to the whole history before it.
 */
export interface AuditEvent {
  seq: number;
  /** ISO-8601 UTC, millisecond precision; equals the ms part of the entry's stream id. */
  at: string;
  /** e.g. 'alert.accepted', 'alert.ignored', 'command.run', 'command.refused', 'diagnosis.posted' */
  type: string;
  /** Slack user id, 'alertmanager', 'system' */
  actor: string;
  incidentId: string | null;
  host: string | null;
  port: number | null;
  detail: Record<string, AuditDetailValue>;
  prevHash: string;
  hash: string;
}

/** What a caller supplies; the log assigns seq, time and the chain fields. */
export type AuditEventInput = Omit<AuditEvent, 'seq' | 'at' | 'prevHash' | 'hash'>;

/** The field order of exports (CSV columns); also documents the event's shape for SIEMs. */
export const AUDIT_EVENT_FIELDS = [
  'seq',
  'at',
  'type',
  'actor',
  'incidentId',
  'host',
  'port',
  'detail',
  'prevHash',
  'hash',
] as const satisfies readonly (keyof AuditEvent)[];
