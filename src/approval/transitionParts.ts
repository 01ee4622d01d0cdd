import type { AuditDetailValue } from '../audit/AuditEvent';
import type {
  ApprovalAuditType,
  ApprovalEffect,
  ApprovalState,
  Identity,
  RefusalCode,
  TransitionResult,
} from './ApprovalState';

export function audit(
  type: ApprovalAuditType,
  actor: string,
  state: ApprovalState,
  detail: Record<string, AuditDetailValue> = {},
): Extract<ApprovalEffect, { kind: 'audit' }> {
  return { kind: 'audit', type, actor, detail: { requestId: state.requestId, ...detail } };
}

/** A refused click, audited under the person who clicked. */
export function refuse(
  state: ApprovalState,
  by: Identity,
  code: RefusalCode,
  message: string,
): TransitionResult {
  return {
    ok: false,
    refusal: {
      code,
      message,
      audit: audit('remediation.approval.refused', by.userId, state, {
        code,
        reason: message,
        status: state.status,
        teamId: by.teamId,
      }),
    },
  };
}

/** A system event that does not apply (the executor or a timer out of step): not an audit case. */
export function refuseSystem(code: RefusalCode, message: string): TransitionResult {
  return { ok: false, refusal: { code, message, audit: null } };
}

export function accept(
  state: ApprovalState,
  patch: Partial<ApprovalState>,
  effects: ApprovalEffect[],
): TransitionResult {
  return { ok: true, state: { ...state, ...patch, version: state.version + 1 }, effects };
}

export function sameIdentity(a: Identity | null, b: Identity): boolean {
  return a !== null && a.userId === b.userId && a.teamId === b.teamId;
}
