/**
 * Who may do what (docs/reference/policy.md), as the core sees it: defaults already applied.
 * config/PolicySchema parses the file into exactly this shape (checked at compile time there).
 */

/** Slack user ids and user-group ids; "*" admits everyone. */
export interface Principals {
  users: string[];
  groups: string[];
}

export interface CommandPolicy {
  channels: string[];
  users: string[];
}

export interface ApprovalThresholds {
  default: number;
  vipHolder: number;
}

/** Absent from a policy means read-only: nobody may request or approve remediation. */
export interface RemediationPolicy {
  requesters: Principals;
  approvers: Principals;
  approvals: ApprovalThresholds;
  expiryMinutes: number;
  /** After SIGTERM, how long a kill waits for the port to come free before it stops (no SIGKILL). */
  termWaitSeconds?: number | undefined;
}

export const DEFAULT_TERM_WAIT_SECONDS = 5;

/** The SIGTERM wait a plan gets under this policy (read-only policies plan with the default). */
export function termWaitMs(policy: Policy): number {
  return (policy.remediation?.termWaitSeconds ?? DEFAULT_TERM_WAIT_SECONDS) * 1000;
}

export interface Policy {
  commands: CommandPolicy;
  remediation?: RemediationPolicy | undefined;
  auditors?: Principals | undefined;
  /** Slack team (T…) or Enterprise Grid (E…) ids allowed to use portbot; absent allows any. */
  workspaces?: string[] | undefined;
}
