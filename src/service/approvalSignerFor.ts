import { approvalSigner, type ApprovalSigner } from '../approval/approvalMac';
import type { EnvConfig } from '../config/EnvConfigSchema';
import type { Policy } from '../domain/Policy';
import { PortbotError } from '../domain/PortbotError';

/**
 * The MAC key serve signs requests and approvals with and the worker checks them with. One rule
 * in every mode, local included: a policy that enables remediation needs PORTBOT_APPROVAL_KEY
 * (the same value for serve and worker), and none is ever generated. Without remediation the key
 * is not needed and null is returned (nobody can request or approve anyway).
 */
export function approvalSignerFor(
  env: Pick<EnvConfig, 'PORTBOT_APPROVAL_KEY'>,
  policy: Policy,
): ApprovalSigner | null {
  if (!policy.remediation) return null;
  const key = env.PORTBOT_APPROVAL_KEY;
  if (!key) {
    throw new PortbotError(
      'CONFIG_INVALID',
      'PORTBOT_APPROVAL_KEY is required when the policy enables remediation: set the same secret of at least 32 characters for serve and worker (e.g. `openssl rand -hex 32`)',
    );
  }
  return approvalSigner(Buffer.from(key, 'utf8'));
}
