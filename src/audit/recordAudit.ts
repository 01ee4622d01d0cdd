import type { Log } from '../domain/Log';
import type { AuditEventInput } from './AuditEvent';
import type { AuditLog } from './AuditLog';

/** Appends an event for a read-only step; a failed append is logged, it does not fail the step. */
export type RecordAudit = (event: AuditEventInput) => Promise<void>;

export function recordAuditTo(audit: AuditLog, log: Log): RecordAudit {
  return async (event) => {
    try {
      await audit.append(event);
    } catch (err) {
      log.error(
        { type: event.type, incidentId: event.incidentId, err: String(err) },
        'audit append failed',
      );
    }
  };
}
