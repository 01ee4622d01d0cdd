import type { RemediationPlan } from '../remediation/RemediationPlan';
import type { ApprovalState } from './ApprovalState';

/** A request as proposed (the modal is open), before anyone has asked or approved. */
export function newApprovalRequest(
  requestId: string,
  incidentId: string,
  plan: RemediationPlan,
  planDigest: string,
): ApprovalState {
  return {
    requestId,
    status: 'proposed',
    version: 0,
    incidentId,
    host: plan.host,
    port: plan.port,
    action: plan.action,
    approvalClass: plan.approvalClass,
    planDigest,
    requester: null,
    requestMac: null,
    reason: null,
    requestedAt: null,
    expiresAt: null,
    required: 0,
    approvals: [],
    decidedBy: null,
    stepsDone: 0,
    lastStep: null,
    outcomeReason: null,
  };
}
