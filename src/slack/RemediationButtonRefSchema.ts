import { z } from 'zod';
import { ACTION_KINDS } from '../domain/verdict';

/**
 * The part of a remediation button's value the server uses: which incident and which action.
 * Host, port and pid in the value are ignored; the incident record is read again.
 */
export const RemediationButtonRefSchema = z.object({
  incidentId: z.string().min(1).max(200),
  kind: z.enum(ACTION_KINDS),
});
export type RemediationButtonRef = z.infer<typeof RemediationButtonRefSchema>;
