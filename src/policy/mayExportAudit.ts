import type { Policy } from '../domain/Policy';
import { isPrincipal } from './isPrincipal';

/**
 * Whether this user may export the audit log from Slack (docs/reference/policy.md, `auditors`):
 * named directly, by "*", or through a user group. Without an `auditors` section nobody may.
 */
export function mayExportAudit(
  policy: Policy,
  userId: string,
  userGroups: readonly string[],
): boolean {
  return policy.auditors !== undefined && isPrincipal(policy.auditors, userId, userGroups);
}
