import type { AuditDetailValue } from '../audit/AuditEvent';
import type { ApprovalSigner } from './approvalMac';
import type { RemediationPolicy } from '../domain/Policy';
import type { ApprovalClass, RemediationAction } from '../remediation/RemediationPlan';

export type ApprovalStatus =
  | 'proposed'
  | 'awaiting-approval'
  | 'approved'
  | 'denied'
  | 'expired'
  | 'cancelled'
  | 'executing'
  | 'succeeded'
  | 'failed'
  | 'aborted';

/** Slack identity: the immutable user id within its workspace (team). */
export interface Identity {
  userId: string;
  teamId: string;
}

export interface ApprovalRecord extends Identity {
  at: number;
  /** serve's HMAC over this approval (approvalMacInput): the worker counts only valid ones. */
  mac: string;
}

export interface ApprovalState {
  requestId: string;
  status: ApprovalStatus;
  /** Bumped on every accepted transition: the store writes with compare-and-set on it. */
  version: number;
  incidentId: string;
  host: string;
  port: number;
  action: RemediationAction;
  approvalClass: ApprovalClass;
  /** sha256 of planDigestInput(plan): what the approvers saw is what runs. */
  planDigest: string;
  requester: Identity | null;
  /** serve's HMAC binding the request id, plan digest, requester and expiry (requestMacInput). */
  requestMac: string | null;
  reason: string | null;
  /** Epoch ms. */
  requestedAt: number | null;
  expiresAt: number | null;
  required: number;
  approvals: ApprovalRecord[];
  /** Who denied or cancelled. */
  decidedBy: Identity | null;
  stepsDone: number;
  lastStep: string | null;
  outcomeReason: string | null;
}

export type Outcome = 'succeeded' | 'failed' | 'aborted';

export type ApprovalEvent =
  | { type: 'request'; by: Identity; reason: string; at: number }
  | { type: 'approve'; by: Identity; at: number; acceptOutage: boolean }
  | { type: 'deny'; by: Identity; at: number }
  | { type: 'cancel'; by: Identity; at: number }
  | { type: 'expire'; at: number }
  | { type: 'start'; at: number }
  | { type: 'step-done'; step: number; kind: string; host: string }
  | { type: 'finish'; outcome: Outcome; reason: string };

/** Facts the caller resolved (Slack user groups, cached briefly) and the policy in force. */
export interface ApprovalContext {
  /** Absent: portbot is read-only and nobody may request or approve. */
  policy: RemediationPolicy | undefined;
  /** The workspace portbot serves: identities of any other team are refused. */
  teamId: string;
  /** User-group ids the acting user belongs to. */
  actorGroups: readonly string[];
  /** Signs what serve records (PORTBOT_APPROVAL_KEY); null: nobody may request or approve. */
  signer: ApprovalSigner | null;
}

export type ApprovalAuditType =
  | 'remediation.requested'
  | 'remediation.approval.refused'
  | 'remediation.approved'
  | 'remediation.denied'
  | 'remediation.cancelled'
  | 'remediation.expired'
  | 'remediation.execution.requeued';

/** What adapters carry out, in order, once the new state is stored. */
export type ApprovalEffect =
  | {
      kind: 'audit';
      type: ApprovalAuditType;
      actor: string;
      detail: Record<string, AuditDetailValue>;
    }
  | { kind: 'post-approval-message' }
  | { kind: 'update-approval-message' }
  | { kind: 'schedule-expiry'; at: number }
  | { kind: 'enqueue-execution'; planDigest: string }
  | { kind: 'notify-requester'; status: ApprovalStatus };

export type RefusalCode =
  | 'read-only'
  | 'wrong-team'
  | 'not-requester'
  | 'not-approver'
  | 'self-approval'
  | 'already-approved'
  | 'outage-button-required'
  | 'not-an-outage'
  | 'expired'
  | 'not-expired'
  | 'wrong-state'
  | 'step-out-of-order'
  | 'bad-reason';

export interface Refusal {
  code: RefusalCode;
  message: string;
  /** The remediation.approval.refused record to write (none for system events). */
  audit: Extract<ApprovalEffect, { kind: 'audit' }> | null;
}

export type TransitionResult =
  { ok: true; state: ApprovalState; effects: ApprovalEffect[] } | { ok: false; refusal: Refusal };
