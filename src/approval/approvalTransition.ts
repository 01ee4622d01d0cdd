import type {
  ApprovalContext,
  ApprovalEvent,
  ApprovalState,
  Identity,
  TransitionResult,
} from './ApprovalState';
import { approvalMacInput, requestMacInput, type ApprovalSigner } from './approvalMac';
import { checkReason } from './checkReason';
import { executionTransition } from './executionTransition';
import { isPrincipal } from '../policy/isPrincipal';
import { requiredApprovals } from './requiredApprovals';
import { accept, audit, refuse, refuseSystem, sameIdentity } from './transitionParts';

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
  const signer = ctx.signer;
  if (!signer) {
    return refuse(state, e.by, 'read-only', 'no approval key is configured: portbot is read-only');
  }
  if (e.type === 'request') {
    if (state.status !== 'proposed') return wrongState(state, e.by);
    if (!isPrincipal(policy.requesters, e.by.userId, ctx.actorGroups)) {
      return refuse(state, e.by, 'not-requester', `${e.by.userId} may not request remediation`);
    }
    const checked = checkReason(e.reason);
    if (!checked.ok) return refuse(state, e.by, 'bad-reason', checked.message);
    const reason = checked.reason;
    const expiresAt = e.at + policy.expiryMinutes * 60_000;
    const required = requiredApprovals(policy, state.approvalClass);
    const requestMac = signer.sign(
      requestMacInput({
        requestId: state.requestId,
        planDigest: state.planDigest,
        requester: e.by,
        requestedAt: e.at,
        expiresAt,
      }),
    );
    return accept(
      state,
      {
        status: 'awaiting-approval',
        requester: e.by,
        requestMac,
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
    (undecided(state) && state.expiresAt !== null && e.at >= state.expiresAt);
  if (expired) return refuse(state, e.by, 'expired', 'this request has expired: ask again');
  // An approve click on a request approved but never started re-drives its execution job: the
  // click that approved it may have stored the state and then failed to audit or queue it.
  const redrive = state.status === 'approved' && e.type === 'approve';
  if (state.status !== 'awaiting-approval' && !redrive) return wrongState(state, e.by);
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
  if (redrive) {
    return accept(state, {}, [
      audit('remediation.execution.requeued', e.by.userId, state, { teamId: e.by.teamId }),
      { kind: 'enqueue-execution', planDigest: state.planDigest },
    ]);
  }
  return approve(state, e, signer);
}

/** Approved but not started: still bound by its approval window. */
function undecided(state: ApprovalState): boolean {
  return state.status === 'awaiting-approval' || state.status === 'approved';
}

function approve(
  state: ApprovalState,
  e: Extract<PersonEvent, { type: 'approve' }>,
  signer: ApprovalSigner,
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
  const record = { userId: e.by.userId, teamId: e.by.teamId, at: e.at };
  const mac = signer.sign(approvalMacInput(state.requestId, state.planDigest, record));
  const approvals = [...state.approvals, { ...record, mac }];
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
  // `approved` too: an approval whose execution was never queued (or never started) must not
  // stay runnable for ever; the worker refuses it past the expiry anyway.
  if (!undecided(state)) return { ok: true, state, effects: [] };
  if (state.expiresAt === null || at < state.expiresAt) {
    return refuseSystem('not-expired', 'the request has not expired yet');
  }
  return accept(state, { status: 'expired' }, [
    audit('remediation.expired', 'system', state, { was: state.status }),
    { kind: 'update-approval-message' },
    { kind: 'notify-requester', status: 'expired' },
  ]);
}

function wrongState(state: ApprovalState, by: Identity): TransitionResult {
  return refuse(state, by, 'wrong-state', `this request is ${state.status}`);
}
