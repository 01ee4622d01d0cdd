import { z } from 'zod';
import { DEFAULT_TERM_WAIT_SECONDS, type Policy, type Principals } from '../domain/Policy';

const ids = (what: string) =>
  z.array(z.string().regex(/^(\*|[A-Z0-9]{2,})$/, { error: `expected ${what} ids or "*"` }));
const PrincipalsSchema = z.strictObject({
  users: ids('Slack user').default([]),
  groups: ids('user-group').default([]),
}) satisfies z.ZodType<Principals>;

/** Who may run /port, request and approve remediation, export the audit log (docs/reference/policy.md). */
export const PolicySchema = z.strictObject({
  commands: z
    .strictObject({
      channels: ids('channel').default(['*']),
      users: ids('Slack user').default(['*']),
    })
    .default({ channels: ['*'], users: ['*'] }),
  remediation: z
    .strictObject({
      requesters: PrincipalsSchema.default({ users: [], groups: [] }),
      approvers: PrincipalsSchema.default({ users: [], groups: [] }),
      approvals: z
        .strictObject({
          default: z.number().int().min(1).max(5).default(1),
          vipHolder: z.number().int().min(1).max(5).default(2),
        })
        .default({ default: 1, vipHolder: 2 }),
      // Fractions allowed (0.5 = 30 s); below 15 s nobody could read the plan before it expired.
      expiryMinutes: z.number().min(0.25).max(1440).default(10),
      termWaitSeconds: z.number().int().min(1).max(300).default(DEFAULT_TERM_WAIT_SECONDS),
    })
    .optional(),
  auditors: PrincipalsSchema.optional(),
  /** Slack team (T…) or Enterprise Grid (E…) ids allowed to use portbot; absent allows any. */
  workspaces: ids('workspace').optional(),
  // The core takes the plain type from domain/ (no zod there); this keeps the two in step.
}) satisfies z.ZodType<Policy>;

/** Without a policy file portbot is read-only: everyone may diagnose, nobody may remediate. */
export const READ_ONLY_POLICY: Policy = { commands: { channels: ['*'], users: ['*'] } };
