import { z } from 'zod';
import { parsePort } from '../../domain/parsePort';
import { AlertStatusSchema, optionalText, stringMap, TimestampSchema } from './alertSchemaParts';

const PORT_ERROR = 'port must be an integer 1-65535';

function isPort(value: number | string): boolean {
  try {
    parsePort(value);
    return true;
  } catch {
    return false;
  }
}

/** `POST /alerts/generic`: for scripts and tools without Alertmanager-style labels. */
export const GenericAlertSchema = z.object(
  {
    host: z
      .string({ error: 'expected an inventory host name or address' })
      .trim()
      .min(1, { error: 'expected an inventory host name or address' })
      .max(253, { error: 'expected at most 253 characters' }),
    port: z
      .union([z.number(), z.string()], { error: PORT_ERROR })
      .refine(isPort, { error: PORT_ERROR })
      .transform((value) => parsePort(value)),
    status: AlertStatusSchema.default('firing'),
    summary: z.string({ error: 'expected a string' }).nullish(),
    labels: stringMap('label'),
    startsAt: TimestampSchema,
    endsAt: TimestampSchema,
    fingerprint: optionalText,
  },
  { error: 'expected a JSON object' },
);

export type GenericAlert = z.infer<typeof GenericAlertSchema>;
