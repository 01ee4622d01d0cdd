import type { AuditEvent } from '../AuditEvent';
import { auditExportHeader, formatAuditEvent, type AuditExportFormat } from './formatAuditExport';

const BATCH_LINES = 200;

/**
 * Streams events as export lines, in batches so a large log neither sits in memory nor costs one
 * write per event. `writeLines` may return a promise to apply back-pressure. Returns the count.
 */
export async function writeAuditExport(
  events: AsyncIterable<AuditEvent>,
  format: AuditExportFormat,
  writeLines: (lines: string[]) => Promise<void> | void,
): Promise<number> {
  const header = auditExportHeader(format);
  let batch: string[] = header === null ? [] : [header];
  let count = 0;
  for await (const event of events) {
    batch.push(formatAuditEvent(event, format));
    count += 1;
    if (batch.length >= BATCH_LINES) {
      await writeLines(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await writeLines(batch);
  return count;
}
