import { createHash } from 'node:crypto';
import { planDigestInput } from './planDigestInput';
import type { RemediationPlan } from './RemediationPlan';

/** sha256 (hex) of planDigestInput: the hash an approval is bound to and the message shows. */
export function planDigest(plan: RemediationPlan): string {
  return createHash('sha256').update(planDigestInput(plan), 'utf8').digest('hex');
}
