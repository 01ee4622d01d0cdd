import { z } from 'zod';

export const AuditDetailSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);

/**
 * What the writer accepts: the shape of AuditEventInput, checked at run time because callers
 * pass fields that came from outside (a Slack form field sent twice arrived as an array).
 */
export const AuditEventInputSchema = z.strictObject({
  type: z.string().min(1),
  actor: z.string().min(1),
  incidentId: z.string().nullable(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  detail: AuditDetailSchema,
});
