import { z } from 'zod';
import { ACTION_KINDS } from '../domain/verdict';
import type { ActionButtonValue } from '../render/slack/actionButtons';

/** A button's value as Slack hands it back: JSON text that portbot wrote (render/slack). */
export const ActionButtonValueSchema = z.strictObject({
  incidentId: z.string(),
  kind: z.enum(ACTION_KINDS),
  host: z.string(),
  port: z.number().int(),
  pid: z.number().int().nullable(),
  startTicks: z.number().int().nullable(),
}) satisfies z.ZodType<ActionButtonValue>;

/** The value of a pressed button, or null when it is not one portbot wrote. */
export function parseActionButtonValue(text: string): ActionButtonValue | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = ActionButtonValueSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
