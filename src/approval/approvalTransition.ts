import type {
  ApprovalContext,
  ApprovalEvent,
  ApprovalState,
  Identity,
  TransitionResult,
} from './ApprovalState';
import { executionTransition } from './executionTransition';
import { isPrincipal } from '../policy/isPrincipal';
import { requiredApprovals } from './requiredApprovals';
import { accept, audit, refuse, refuseSystem, sameIdentity } from './transitionParts';

const MAX_REASON = 2000;

/**
 * Pure approval state machine (Teleport-style access requests): proposed → awaiting-approval →
 * approved | denied | expired | cancelled → executing → succeeded | failed | aborted. Every
 * click is re-checked against identity, policy and state; effects are data for the adapters.
 */
export function approvalTransition(
  state: ApprovalState,
  event: ApprovalEvent,
  ctx: ApprovalContext,
): TransitionResult {
  switch (event.type) {
    case 'request':
    case 'approve':
    case 'deny':
    case 'cancel':
      return personEvent(state, event, ctx);
    case 'expire':
      return expire(state, event.at);
    default:
      return executionTransition(state, event);
  }
}

type PersonEvent = Extract<ApprovalEvent, { by: Identity }>;

function personEvent(state: ApprovalState, e: PersonEvent, ctx: ApprovalContext): TransitionResult {
  if (e.by.teamId !== ctx.teamId) {
    return refuse(state, e.by, 'wrong-team', `${e.by.userId} is not a member of this workspace`);
  }
  const policy = ctx.policy;
  if (!policy) {
    return refuse(state, e.by, 'read-only', 'no approvers are configured: portbot is read-only');
  }
  if (e.type === 'request') {
    if (state.status !== 'proposed') return wrongState(state, e.by);
    if (!isPrincipal(policy.requesters, e.by.userId, ctx.actorGroups)) {
      return refuse(state, e.by, 'not-requester', `${e.by.userId} may not request remediation`);
    }
    const reason = e.reason.trim();
    if (reason === '' || reason.length > MAX_REASON) {
      return refuse(
        state,
        e.by,
        'bad-reason',
        `a reason of 1-${MAX_REASON} characters is required`,
      );
    }
    const expiresAt = e.at + policy.expiryMinutes * 60_000;
    const required = requiredApprovals(policy, state.approvalClass);
    return accept(
      state,
      {
        status: 'awaiting-approval',
        requester: e.by,
        reason,
        requestedAt: e.at,
        expiresAt,
        required,
      },
      [
        audit('remediation.requested', e.by.userId, state, {
          incidentId: state.incidentId,
          host: state.host,
          port: state.port,
          action: state.action,
          approvalClass: state.approvalClass,
          planDigest: state.planDigest,
          reason,
          required,
          expiresAt: new Date(expiresAt).toISOString(),
        }),
        { kind: 'post-approval-message' },
        { kind: 'schedule-expiry', at: expiresAt },
      ],
    );
  }
  // Expired by its delayed job or not yet: the click gets the same answer either way.
  const expired =
    state.status === 'expired' ||
    (state.status === 'awaiting-approval' && state.expiresAt !== null && e.at >= state.expiresAt);
  if (expired) return refuse(state, e.by, 'expired', 'this request has expired: ask again');
  if (state.status !== 'awaiting-approval') return wrongState(state, e.by);
  if (e.type === 'cancel') {
    if (!sameIdentity(state.requester, e.by)) {
      return refuse(state, e.by, 'not-requester', 'only the requester may cancel this request');
    }
    return accept(state, { status: 'cancelled', decidedBy: e.by }, [
      audit('remediation.cancelled', e.by.userId, state),
      { kind: 'update-approval-message' },
    ]);
  }
  if (sameIdentity(state.requester, e.by)) {
    return refuse(
      state,
      e.by,
      'self-approval',
      'the requester cannot approve or deny their own request',
    );
  }
  if (!isPrincipal(policy.approvers, e.by.userId, ctx.actorGroups)) {
    return refuse(state, e.by, 'not-approver', `${e.by.userId} is not an approver`);
  }
  if (e.type === 'deny') {
    // Any deny ends the request, whatever approvals it already has.
    return accept(state, { status: 'denied', decidedBy: e.by }, [
      audit('remediation.denied', e.by.userId, state, { teamId: e.by.teamId }),
      { kind: 'update-approval-message' },
      { kind: 'notify-requester', status: 'denied' },
    ]);
  }
  return approve(state, e);
}

function approve(
  state: ApprovalState,
  e: Extract<PersonEvent, { type: 'approve' }>,
): TransitionResult {
  const outage = state.approvalClass === 'outage';
  if (outage && !e.acceptOutage) {
    return refuse(
      state,
      e.by,
      'outage-button-required',
      'this plan accepts an outage: approve it with the outage button',
    );
  }
  if (!outage && e.acceptOutage) {
    return refuse(
      state,
      e.by,
      'not-an-outage',
      'this plan does not accept an outage: use the approve button',
    );
  }
  if (state.approvals.some((a) => sameIdentity(a, e.by))) {
    return refuse(state, e.by, 'already-approved', `${e.by.userId} has already approved`);
  }
  const approvals = [...state.approvals, { ...e.by, at: e.at }];
  const done = approvals.length >= state.required;
  return accept(state, { approvals, status: done ? 'approved' : 'awaiting-approval' }, [
    audit('remediation.approved', e.by.userId, state, {
      teamId: e.by.teamId,
      approvals: approvals.length,
      required: state.required,
      acceptOutage: e.acceptOutage,
    }),
    { kind: 'update-approval-message' },
    ...(done
      ? [
          { kind: 'enqueue-execution' as const, planDigest: state.planDigest },
          { kind: 'notify-requester' as const, status: 'approved' as const },
        ]
      : []),
  ]);
}

function expire(state: ApprovalState, at: number): TransitionResult {
  // The delayed job fires whatever happened meanwhile: a decided request stays as it is.
  if (state.status !== 'awaiting-approval') return { ok: true, state, effects: [] };
  if (state.expiresAt === null || at < state.expiresAt) {
    return refuseSystem('not-expired', 'the request has not expired yet');
  }
  return accept(state, { status: 'expired' }, [
    audit('remediation.expired', 'system', state),
    { kind: 'update-approval-message' },
    { kind: 'notify-requester', status: 'expired' },
  ]);
}

function wrongState(state: ApprovalState, by: Identity): TransitionResult {
  return refuse(state, by, 'wrong-state', `this request is ${state.status}`);
}
