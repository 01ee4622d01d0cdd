import { z } from 'zod';

// Go's zero time.Time: Alertmanager and Grafana send it as endsAt while an alert is firing.
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;

export const AlertStatusSchema = z.enum(['firing', 'resolved'], {
  error: "expected 'firing' or 'resolved'",
});

/**
 * Label and annotation maps. Go encodes a nil map as `null`, so null and absence both mean
 * "no labels"; a non-string value is a malformed payload, not something to coerce.
 */
export const stringMap = (what: string) =>
  z
    .record(z.string(), z.string({ error: `expected a string ${what} value` }), {
      error: `expected a mapping of ${what}s`,
    })
    .nullish()
    .transform((value) => value ?? {});

export const TimestampSchema = z
  .string({ error: 'expected an RFC 3339 timestamp' })
  .refine((value) => value === '' || (RFC3339.test(value) && !Number.isNaN(Date.parse(value))), {
    error: 'expected an RFC 3339 timestamp',
  })
  .nullish();

export const optionalText = z.string({ error: 'expected a string' }).nullish();
