import { z } from 'zod';
import type { AuditEvent } from '../AuditEvent';
import { AuditDetailSchema } from './AuditEventInputSchema';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

const AuditEventSchema = z.strictObject({
  seq: z.number().int().min(1),
  at: z.iso.datetime(),
  type: z.string(),
  actor: z.string(),
  incidentId: z.string().nullable(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  detail: AuditDetailSchema,
  prevHash: hex64,
  hash: hex64,
});

/**
 * Parses a stored event; a malformed one (tampering, or a foreign writer) is an error string,
 * with the JSON it held (verify can still follow the chain through it).
 */
export function parseAuditEvent(
  text: string,
): { ok: true; event: AuditEvent } | { ok: false; error: string; json?: unknown } {
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
      json,
    };
  }
  return { ok: true, event: parsed.data };
}
