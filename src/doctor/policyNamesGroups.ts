import type { Policy } from '../domain/Policy';

/** Whether any principal list of the policy names a Slack user group (then usergroups:read is needed). */
export function policyNamesGroups(policy: Policy): boolean {
  const lists = [policy.remediation?.requesters, policy.remediation?.approvers, policy.auditors];
  return lists.some((p) => (p?.groups ?? []).some((g) => g !== '*'));
}
