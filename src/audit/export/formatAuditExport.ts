import { AUDIT_EVENT_FIELDS, type AuditEvent } from '../AuditEvent';
import { canonicalJson } from '../hashChain';

export type AuditExportFormat = 'jsonl' | 'csv';

export const AUDIT_EXPORT_FORMATS: readonly AuditExportFormat[] = ['jsonl', 'csv'];

export const AUDIT_CONTENT_TYPES: Record<AuditExportFormat, string> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** The first line of an export, or null when the format has none. */
export function auditExportHeader(format: AuditExportFormat): string | null {
  return format === 'csv' ? AUDIT_EVENT_FIELDS.join(',') : null;
}

/**
 * One event as one line (without the newline). JSONL is canonical JSON, so a SIEM can recompute
 * each hash; CSV keeps every field verbatim (detail as JSON in one column) for the same reason.
 */
export function formatAuditEvent(event: AuditEvent, format: AuditExportFormat): string {
  if (format === 'jsonl') return canonicalJson(event);
  return AUDIT_EVENT_FIELDS.map((field) => {
    const value = event[field];
    if (value === null) return '';
    if (typeof value === 'object') return csvField(canonicalJson(value));
    return csvField(String(value));
  }).join(',');
}

// RFC 4180: quote when needed, double inner quotes. Null and '' both become an empty cell; the
// only nullable columns (incidentId, host, port) never hold '' in practice.
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
