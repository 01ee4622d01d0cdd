import { createHash } from 'node:crypto';
import type { AuditEvent } from '../AuditEvent';
import type { AuditExportFormat } from './formatAuditExport';
import { writeAuditExport } from './writeAuditExport';

/** A whole export in memory, for a destination that needs the length first (a Slack file). */
export interface CollectedAuditExport {
  /** The same bytes `portbot audit export --out` writes: each batch of lines ends in "\n". */
  content: Uint8Array;
  count: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** sha256 (hex) of `content`: what the audit entry of the export commits to. */
  sha256: string;
}

export type CollectAuditExportResult =
  { ok: true; export: CollectedAuditExport } | { ok: false; reason: 'too-large'; maxBytes: number };

class TooLarge extends Error {}

/** Reads the events into one export, stopping (and closing the read) once it passes maxBytes. */
export async function collectAuditExport(
  events: AsyncIterable<AuditEvent>,
  format: AuditExportFormat,
  maxBytes: number,
): Promise<CollectAuditExportResult> {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  async function* tapped(): AsyncIterable<AuditEvent> {
    for await (const e of events) {
      firstSeq ??= e.seq;
      lastSeq = e.seq;
      yield e;
    }
  }
  let count: number;
  try {
    count = await writeAuditExport(tapped(), format, (lines) => {
      const chunk = encoder.encode(`${lines.join('\n')}\n`);
      bytes += chunk.length;
      if (bytes > maxBytes) throw new TooLarge();
      chunks.push(chunk);
    });
  } catch (err) {
    if (err instanceof TooLarge) return { ok: false, reason: 'too-large', maxBytes };
    throw err;
  }
  const content = new Uint8Array(bytes);
  let at = 0;
  for (const chunk of chunks) {
    content.set(chunk, at);
    at += chunk.length;
  }
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { ok: true, export: { content, count, firstSeq, lastSeq, sha256 } };
}
