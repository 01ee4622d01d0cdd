import { z } from 'zod';
import type { AuditEvent } from '../AuditEvent';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

const AuditEventSchema = z.strictObject({
  seq: z.number().int().min(1),
  at: z.iso.datetime(),
  type: z.string(),
  actor: z.string(),
  incidentId: z.string().nullable(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  prevHash: hex64,
  hash: hex64,
});

/** Parses a stored event; a malformed one (tampering, or a foreign writer) is an error string. */
export function parseAuditEvent(
  text: string,
): { ok: true; event: AuditEvent } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const parsed = AuditEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`,
    };
  }
  return { ok: true, event: parsed.data };
}
