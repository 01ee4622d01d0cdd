import { z } from 'zod';

const ids = (what: string) =>
  z.array(z.string().regex(/^(\*|[A-Z0-9]{2,})$/, { error: `expected ${what} ids or "*"` }));
const Principals = z.strictObject({
  users: ids('Slack user').default([]),
  groups: ids('user-group').default([]),
});

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
      requesters: Principals.default({ users: [], groups: [] }),
      approvers: Principals.default({ users: [], groups: [] }),
      approvals: z
        .strictObject({
          default: z.number().int().min(1).max(5).default(1),
          vipHolder: z.number().int().min(1).max(5).default(2),
        })
        .default({ default: 1, vipHolder: 2 }),
      expiryMinutes: z.number().int().min(1).max(1440).default(10),
    })
    .optional(),
  auditors: Principals.optional(),
  /** Slack team (T…) or Enterprise Grid (E…) ids allowed to use portbot; absent allows any. */
  workspaces: ids('workspace').optional(),
});

export type Policy = z.infer<typeof PolicySchema>;

/** Without a policy file portbot is read-only: everyone may diagnose, nobody may remediate. */
export const READ_ONLY_POLICY: Policy = { commands: { channels: ['*'], users: ['*'] } };

/** Slack user ids and user-group ids; "*" in users admits everyone. */
export type Principals = z.infer<typeof Principals>;
/** Contract section 6 `remediation`: absent means read-only (nobody may request or approve). */
export type RemediationPolicy = NonNullable<Policy['remediation']>;
