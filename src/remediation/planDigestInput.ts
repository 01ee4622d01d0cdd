import { canonicalJson } from '../audit/hashChain';
import type { RemediationPlan } from './RemediationPlan';

/**
 * The exact bytes an approval is bound to: canonical JSON (sorted keys, no whitespace) of the
 * whole plan, so any change to a step, command, target or HA role yields another hash.
 */
export function planDigestInput(plan: RemediationPlan): string {
  return canonicalJson({ version: 1, plan });
}
