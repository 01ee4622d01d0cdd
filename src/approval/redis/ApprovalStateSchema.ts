import { z } from 'zod';
import { REMEDIATION_ACTIONS } from '../../remediation/RemediationPlan';

const IdentitySchema = z.strictObject({ userId: z.string(), teamId: z.string() });

/** ApprovalState as read back from Redis: checked, never cast. */
export const ApprovalStateSchema = z.strictObject({
  requestId: z.string(),
  status: z.enum([
    'proposed',
    'awaiting-approval',
    'approved',
    'denied',
    'expired',
    'cancelled',
    'executing',
    'succeeded',
    'failed',
    'aborted',
  ]),
  version: z.number().int(),
  incidentId: z.string(),
  host: z.string(),
  port: z.number().int(),
  action: z.enum(REMEDIATION_ACTIONS),
  approvalClass: z.enum(['default', 'vip-holder', 'outage']),
  planDigest: z.string(),
  requester: IdentitySchema.nullable(),
  // Requests stored before MACs existed read as unsigned: the worker refuses to run them.
  requestMac: z.string().nullable().default(null),
  reason: z.string().nullable(),
  requestedAt: z.number().nullable(),
  expiresAt: z.number().nullable(),
  required: z.number().int(),
  approvals: z.array(IdentitySchema.extend({ at: z.number(), mac: z.string().default('') })),
  decidedBy: IdentitySchema.nullable(),
  stepsDone: z.number().int(),
  lastStep: z.string().nullable(),
  outcomeReason: z.string().nullable(),
});
