import type { RemediationPolicy } from '../domain/Policy';
import type { ApprovalClass } from '../remediation/RemediationPlan';

/** An outage never goes through on one person's say, whatever the policy's numbers. */
const OUTAGE_MINIMUM = 2;

/** Distinct approvers needed: the stricter threshold always wins over a laxer one. */
export function requiredApprovals(policy: RemediationPolicy, cls: ApprovalClass): number {
  const { default: base, vipHolder } = policy.approvals;
  if (cls === 'default') return base;
  if (cls === 'vip-holder') return Math.max(base, vipHolder);
  return Math.max(base, vipHolder, OUTAGE_MINIMUM);
}
