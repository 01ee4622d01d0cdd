import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../../../src/audit/AuditEvent';
import { collectAuditExport } from '../../../../src/audit/export/collectAuditExport';
import { formatAuditEvent } from '../../../../src/audit/export/formatAuditExport';
import { writeAuditExport } from '../../../../src/audit/export/writeAuditExport';
import { verifyChain } from '../../../../src/audit/hashChain';
import { MemoryAuditLog } from '../../../support/fakes/MemoryAuditLog';

async function logOf(n: number): Promise<MemoryAuditLog> {
  const log = new MemoryAuditLog();
  for (let i = 0; i < n; i += 1) {
    await log.append({
      type: 'command.run',
      actor: 'U01ABC',
      incidentId: null,
      host: 'lb-01',
      port: 443,
      // 450 events span three of writeAuditExport's batches of 200
      detail: { text: `check lb-01 443 #${i} "quoted", é` },
    });
  }
  return log;
}

/** What `portbot audit export --out` writes: each batch of lines, then a newline. */
async function cliBytes(log: MemoryAuditLog): Promise<Buffer> {
  let text = '';
  await writeAuditExport(log.read(), 'jsonl', (lines) => {
    text += `${lines.join('\n')}\n`;
  });
  return Buffer.from(text, 'utf8');
}

describe('collectAuditExport', () => {
  it('holds the bytes the CLI writes, their sha256, count and seq span; the lines verify as a chain', async () => {
    const log = await logOf(450);
    const got = await collectAuditExport(log.read(), 'jsonl', 10 * 1024 * 1024);
    if (!got.ok) throw new Error('expected an export');
    const bytes = Buffer.from(got.export.content);
    expect(bytes.equals(await cliBytes(log))).toBe(true);
    expect(got.export).toMatchObject({ count: 450, firstSeq: 1, lastSeq: 450 });
    expect(got.export.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const lines = bytes.toString('utf8').trimEnd().split('\n');
    const events = lines.map((l) => JSON.parse(l) as AuditEvent);
    expect(verifyChain(events)).toMatchObject({ ok: true, count: 450 });
    expect(lines[0]).toBe(formatAuditEvent(log.events[0] as AuditEvent, 'jsonl'));
  });

  it('counts bytes, not characters, against the limit, and stops reading once past it', async () => {
    const log = await logOf(450);
    const whole = (await cliBytes(log)).length;
    const exact = await collectAuditExport(log.read(), 'jsonl', whole);
    expect(exact.ok).toBe(true);
    let read = 0;
    async function* counted(): AsyncIterable<AuditEvent> {
      for await (const e of log.read()) {
        read += 1;
        yield e;
      }
    }
    // the first batch of 200 lines alone is over this limit
    const small = await collectAuditExport(counted(), 'jsonl', 1000);
    expect(small).toEqual({ ok: false, reason: 'too-large', maxBytes: 1000 });
    expect(read).toBe(200);
    expect(await collectAuditExport(log.read(), 'jsonl', whole - 1)).toMatchObject({ ok: false });
  });

  it('an empty range is an empty export (no seq span)', async () => {
    const got = await collectAuditExport((await logOf(0)).read(), 'jsonl', 100);
    expect(got).toEqual({
      ok: true,
      export: {
        content: new Uint8Array(),
        count: 0,
        firstSeq: null,
        lastSeq: null,
        sha256: createHash('sha256').update('').digest('hex'),
      },
    });
  });
});
