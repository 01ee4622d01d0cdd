import { z } from 'zod';

const wholeNumber = z
  .string()
  .regex(/^[0-9]+$/)
  .transform(Number);

/**
 * A fleet check's Redis hash as OPEN_FLEET_CHECK writes it: every field a string, `group` only
 * for a group scope, `rootTs` once the root message is posted. Checked on read so a damaged or
 * foreign hash fails loudly instead of turning into '' and NaN.
 */
export const FleetCheckHashSchema = z.discriminatedUnion('scope', [
  z.object({
    scope: z.literal('all'),
    id: z.string().min(1),
    port: wholeNumber,
    channel: z.string(),
    rootTs: z.string().optional(),
    requestedBy: z.string(),
    openedAt: wholeNumber,
  }),
  z.object({
    scope: z.literal('group'),
    group: z.string().min(1),
    id: z.string().min(1),
    port: wholeNumber,
    channel: z.string(),
    rootTs: z.string().optional(),
    requestedBy: z.string(),
    openedAt: wholeNumber,
  }),
]);

/** OPEN_FLEET_CHECK answers HGETALL's flat [field, value, …] list. */
export const FlatHashReplySchema = z.array(z.string());
