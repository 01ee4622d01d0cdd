import { z } from 'zod';

const wholeNumber = z
  .string()
  .regex(/^[0-9]+$/)
  .transform(Number);

/**
 * A held summary's hash as RECORD_HELD writes it (the post slot adds `messageTs` and
 * `messageChannel` once posted). Checked on read so a damaged hash fails loudly.
 */
export const HeldSummaryHashSchema = z.object({
  channel: z.string().min(1),
  count: wholeNumber,
  perMinute: wholeNumber,
  untracked: wholeNumber,
  shownCount: wholeNumber,
  messageTs: z.string().optional(),
  messageChannel: z.string().optional(),
});

/** One member of the targets set: the JSON of a HeldTarget. */
export const HeldTargetSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
});
