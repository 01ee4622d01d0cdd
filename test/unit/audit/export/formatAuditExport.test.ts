import type { AuditEvent } from '../../../../src/audit/AuditEvent';
import {
  auditExportHeader,
  formatAuditEvent,
} from '../../../../src/audit/export/formatAuditExport';

const event: AuditEvent = {
  seq: 3,
  at: '2026-11-21T10:00:03.000Z',
  type: 'command.run',
  actor: 'U01ABC',
  incidentId: null,
  host: 'lb-01',
  port: 443,
  detail: { text: 'say "hi", then\nleave', ok: true },
  prevHash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
};

describe('formatAuditExport', () => {
  it('writes CSV with a header, empty cells for null and quoted detail JSON', () => {
    expect(auditExportHeader('csv')).toBe(
      'seq,at,type,actor,incidentId,host,port,detail,prevHash,hash',
    );
    expect(formatAuditEvent(event, 'csv')).toBe(
      `3,2026-11-21T10:00:03.000Z,command.run,U01ABC,,lb-01,443,"{""ok"":true,""text"":""say \\""hi\\"", then\\nleave""}",${'a'.repeat(64)},${'b'.repeat(64)}`,
    );
  });

  it('writes JSONL as canonical JSON on one line', () => {
    expect(auditExportHeader('jsonl')).toBeNull();
    const line = formatAuditEvent(event, 'jsonl');
    expect(line).not.toContain('\n');
    expect(line.startsWith('{"actor":"U01ABC","at":')).toBe(true);
    expect(JSON.parse(line)).toEqual(event);
  });
});
