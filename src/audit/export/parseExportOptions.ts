import { PortbotError } from '../../domain/PortbotError';
import type { AuditRange } from '../AuditLog';
import { AUDIT_EXPORT_FORMATS, type AuditExportFormat } from './formatAuditExport';
import { parseTimeBound } from './parseTimeBound';

export interface ExportOptions {
  range: AuditRange;
  format: AuditExportFormat;
}

/** Shared by the CLI flags and the HTTP query: raw strings in, a checked range and format out. */
export function parseExportOptions(
  raw: { since?: string | undefined; until?: string | undefined; format?: string | undefined },
  now: number,
  names: { since: string; until: string; format: string },
): ExportOptions {
  const format = raw.format ?? 'jsonl';
  if (!(AUDIT_EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new PortbotError(
      'USAGE',
      `${names.format} ${JSON.stringify(format.slice(0, 40))}: expected ${AUDIT_EXPORT_FORMATS.join(' or ')}`,
    );
  }
  const range: AuditRange = {};
  if (raw.since !== undefined) range.since = parseTimeBound(raw.since, now, names.since);
  if (raw.until !== undefined) range.until = parseTimeBound(raw.until, now, names.until);
  if (range.since && range.until && range.since.getTime() >= range.until.getTime()) {
    throw new PortbotError(
      'USAGE',
      `${names.since} (${range.since.toISOString()}) must be before ${names.until} (${range.until.toISOString()})`,
    );
  }
  return { range, format: format as AuditExportFormat };
}
