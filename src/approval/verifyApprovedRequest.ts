import type { RemediationPolicy } from '../domain/Policy';
import { planDigest } from '../remediation/planDigest';
import { approvalMacInput, requestMacInput, type ApprovalSigner } from './approvalMac';
import type { RemediationRequest } from './ApprovalStore';
import { requiredApprovals } from './requiredApprovals';
import { sameIdentity } from './transitionParts';

export type RequestVerdict = { ok: true } | { ok: false; reason: string };

/**
 * What the worker checks immediately before running a request, trusting nothing Redis says that
 * serve did not sign: the stored plan hashes to the signed digest, the request's MAC binds that
 * digest to its requester and expiry, and enough distinct approvers (never the requester, each
 * before the expiry) carry a valid MAC. The threshold comes from the policy in force and the
 * plan's own approval class, not from the stored count.
 */
export function verifyApprovedRequest(
  signer: ApprovalSigner | null,
  policy: RemediationPolicy | undefined,
  { state, plan }: RemediationRequest,
): RequestVerdict {
  if (!signer || !policy) return refuse('remediation is not enabled on this worker');
  if (planDigest(plan) !== state.planDigest) {
    return refuse('the stored plan does not match the plan hash that was approved');
  }
  const { requester, requestMac, requestedAt, expiresAt } = state;
  if (!requester || requestMac === null || requestedAt === null || expiresAt === null) {
    return refuse('the request carries no signature');
  }
  const signed = requestMacInput({
    requestId: state.requestId,
    planDigest: state.planDigest,
    requester,
    requestedAt,
    expiresAt,
  });
  if (!signer.verify(signed, requestMac)) {
    return refuse('the request signature does not match its plan hash and requester');
  }
  const valid = state.approvals.filter(
    (a, i) =>
      signer.verify(approvalMacInput(state.requestId, state.planDigest, a), a.mac) &&
      a.at < expiresAt &&
      !sameIdentity(requester, a) &&
      state.approvals.findIndex((b) => sameIdentity(b, a)) === i,
  );
  const required = requiredApprovals(policy, plan.approvalClass);
  if (valid.length < required) {
    return refuse(
      `${valid.length} of ${required} required approvals carry a valid signature (${state.approvals.length} recorded)`,
    );
  }
  return { ok: true };
}

function refuse(why: string): RequestVerdict {
  return { ok: false, reason: `${why}: nothing was run` };
}
