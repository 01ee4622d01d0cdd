import { testSigner } from '../../support/testSigner';
import type {
  ApprovalContext,
  ApprovalEvent,
  ApprovalState,
  Identity,
  TransitionResult,
} from '../../../src/approval/ApprovalState';
import { approvalTransition } from '../../../src/approval/approvalTransition';
import { newApprovalRequest } from '../../../src/approval/newApprovalRequest';
import type { RemediationPolicy } from '../../../src/domain/Policy';
import type { ApprovalClass, RemediationPlan } from '../../../src/remediation/RemediationPlan';

const TEAM = 'T01';
const POLICY: RemediationPolicy = {
  requesters: { users: ['U01REQ'], groups: ['S0ONCALL'] },
  approvers: { users: ['U02APP', 'U03APP', 'U01REQ'], groups: ['S0LEADS'] },
  approvals: { default: 1, vipHolder: 2 },
  expiryMinutes: 10,
};
const REQ: Identity = { userId: 'U01REQ', teamId: TEAM };
const APP2: Identity = { userId: 'U02APP', teamId: TEAM };
const APP3: Identity = { userId: 'U03APP', teamId: TEAM };
const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);

function ctx(o: Partial<ApprovalContext> = {}): ApprovalContext {
  return { policy: POLICY, teamId: TEAM, actorGroups: [], signer: testSigner, ...o };
}

function proposed(cls: ApprovalClass = 'default'): ApprovalState {
  const plan: RemediationPlan = {
    host: 'lb-01',
    port: 80,
    action: 'kill-occupant',
    approvalClass: cls,
    target: null,
    ha: null,
    steps: [],
  };
  return newApprovalRequest('r-1', 'inc-1', plan, 'a'.repeat(64));
}

function ok(r: TransitionResult): { state: ApprovalState; effects: string[] } {
  if (!r.ok) throw new Error(`refused: ${r.refusal.code}`);
  return {
    state: r.state,
    effects: r.effects.map((e) => (e.kind === 'audit' ? `audit:${e.type}` : e.kind)),
  };
}

function run(state: ApprovalState, events: ApprovalEvent[], c = ctx()): ApprovalState {
  return events.reduce((s, e) => ok(approvalTransition(s, e, c)).state, state);
}

const request = (at = T0): ApprovalEvent => ({
  type: 'request',
  by: REQ,
  reason: 'nginx down on lb-01',
  at,
});
const approve = (by: Identity, at = T0 + 1000, acceptOutage = false): ApprovalEvent => ({
  type: 'approve',
  by,
  at,
  acceptOutage,
});

function awaiting(cls: ApprovalClass = 'default'): ApprovalState {
  return run(proposed(cls), [request()]);
}

describe('request', () => {
  it('moves to awaiting-approval with expiry, threshold, audit and the approval message', () => {
    const r = ok(approvalTransition(proposed(), request(), ctx()));
    expect(r.state).toMatchObject({
      status: 'awaiting-approval',
      version: 1,
      requester: REQ,
      required: 1,
      expiresAt: T0 + 600_000,
    });
    expect(r.effects).toEqual([
      'audit:remediation.requested',
      'post-approval-message',
      'schedule-expiry',
    ]);
  });

  it.each<[ApprovalClass, number]>([
    ['default', 1],
    ['vip-holder', 2],
    ['outage', 2],
  ])('%s needs %i distinct approvals', (cls, n) => {
    expect(awaiting(cls).required).toBe(n);
  });

  it('an outage needs two approvals even when the policy says one', () => {
    const lax = { ...POLICY, approvals: { default: 1, vipHolder: 1 } };
    expect(run(proposed('outage'), [request()], ctx({ policy: lax })).required).toBe(2);
  });

  it('admits a requester through a user group', () => {
    const other: Identity = { userId: 'U09ONC', teamId: TEAM };
    const r = approvalTransition(
      proposed(),
      { ...request(), by: other } as ApprovalEvent,
      ctx({ actorGroups: ['S0ONCALL'] }),
    );
    expect(r.ok).toBe(true);
  });
});

describe('refusals (each audited as remediation.approval.refused)', () => {
  const stranger: Identity = { userId: 'U99XXX', teamId: TEAM };
  it.each<[string, ApprovalState, ApprovalEvent, ApprovalContext, string]>([
    ['no policy: read-only', proposed(), request(), ctx({ policy: undefined }), 'read-only'],
    [
      'request by a non-requester',
      proposed(),
      { ...request(), by: stranger } as ApprovalEvent,
      ctx(),
      'not-requester',
    ],
    [
      'request without a reason',
      proposed(),
      { ...request(), reason: '   ' } as ApprovalEvent,
      ctx(),
      'bad-reason',
    ],
    ['request twice', awaiting(), request(), ctx(), 'wrong-state'],
    [
      'self-approval (the requester is also an approver)',
      awaiting(),
      approve(REQ),
      ctx(),
      'self-approval',
    ],
    ['self-deny', awaiting(), { type: 'deny', by: REQ, at: T0 + 1 }, ctx(), 'self-approval'],
    ['approval by a non-approver', awaiting(), approve(stranger), ctx(), 'not-approver'],
    [
      'deny by a non-approver',
      awaiting(),
      { type: 'deny', by: stranger, at: T0 + 1 },
      ctx(),
      'not-approver',
    ],
    [
      'the same user id from another team',
      awaiting(),
      approve({ userId: 'U02APP', teamId: 'T99' }),
      ctx(),
      'wrong-team',
    ],
    ['approval after expiry', awaiting(), approve(APP2, T0 + 600_000), ctx(), 'expired'],
    [
      'cancel by someone else',
      awaiting(),
      { type: 'cancel', by: APP2, at: T0 + 1 },
      ctx(),
      'not-requester',
    ],
    ['approval of a proposed request', proposed(), approve(APP2), ctx(), 'wrong-state'],
    [
      'approval of a request its expiry job expired',
      run(awaiting(), [{ type: 'expire', at: T0 + 600_000 }]),
      approve(APP2, T0 + 600_001),
      ctx(),
      'expired',
    ],
    [
      'deny of an expired request',
      run(awaiting(), [{ type: 'expire', at: T0 + 600_000 }]),
      { type: 'deny', by: APP3, at: T0 + 600_001 },
      ctx(),
      'expired',
    ],
    [
      'approval of a denied request',
      run(awaiting(), [{ type: 'deny', by: APP2, at: T0 + 1 }]),
      approve(APP3),
      ctx(),
      'wrong-state',
    ],
    [
      'plain approve on an outage plan',
      awaiting('outage'),
      approve(APP2),
      ctx(),
      'outage-button-required',
    ],
    [
      'outage button on a normal plan',
      awaiting(),
      approve(APP2, T0 + 1, true),
      ctx(),
      'not-an-outage',
    ],
  ])('%s', (_name, state, event, c, code) => {
    const r = approvalTransition(state, event, c);
    if (r.ok) throw new Error('expected a refusal');
    expect(r.refusal.code).toBe(code);
    expect(r.refusal.audit).toMatchObject({
      kind: 'audit',
      type: 'remediation.approval.refused',
      detail: { requestId: 'r-1', code },
    });
  });
});

describe('approvals', () => {
  it('one approval approves a default plan and enqueues execution once', () => {
    const r = ok(approvalTransition(awaiting(), approve(APP2), ctx()));
    expect(r.state.status).toBe('approved');
    expect(r.effects).toEqual([
      'audit:remediation.approved',
      'update-approval-message',
      'enqueue-execution',
      'notify-requester',
    ]);
  });

  it('an approve click on an approved request re-queues its execution, audited, state unchanged', () => {
    const approved = run(awaiting(), [approve(APP2)]);
    for (const by of [APP2, APP3]) {
      const r = ok(approvalTransition(approved, approve(by, T0 + 5000), ctx()));
      expect(r.state).toMatchObject({ status: 'approved', approvals: approved.approvals });
      expect(r.effects).toEqual(['audit:remediation.execution.requeued', 'enqueue-execution']);
    }
    // Not for the requester, a non-approver, after the expiry, nor once it started.
    const codes = [
      approvalTransition(approved, approve(REQ, T0 + 5000), ctx()),
      approvalTransition(approved, approve({ userId: 'U09NOPE', teamId: TEAM }, T0 + 5000), ctx()),
      approvalTransition(approved, approve(APP3, T0 + 600_000), ctx()),
      approvalTransition(
        run(approved, [{ type: 'start', at: T0 + 2000 }]),
        approve(APP3, T0 + 5000),
        ctx(),
      ),
      approvalTransition(approved, { type: 'deny', by: APP3, at: T0 + 5000 }, ctx()),
    ].map((r) => (r.ok ? 'ok' : r.refusal.code));
    expect(codes).toEqual([
      'self-approval',
      'not-approver',
      'expired',
      'wrong-state',
      'wrong-state',
    ]);
  });

  it('a double approve by the same user is counted once', () => {
    const once = run(awaiting('vip-holder'), [approve(APP2)]);
    const again = approvalTransition(once, approve(APP2, T0 + 2000), ctx());
    expect(again.ok ? 'ok' : again.refusal.code).toBe('already-approved');
    expect(once.approvals).toHaveLength(1);
    expect(once.status).toBe('awaiting-approval');
  });

  it('the VIP holder needs two distinct approvers; an approver via a group counts', () => {
    const lead: Identity = { userId: 'U07LEAD', teamId: TEAM };
    const first = run(awaiting('vip-holder'), [approve(APP2)]);
    const r = ok(approvalTransition(first, approve(lead), ctx({ actorGroups: ['S0LEADS'] })));
    expect(r.state.status).toBe('approved');
    expect(r.state.approvals.map((a) => a.userId)).toEqual(['U02APP', 'U07LEAD']);
    expect(r.effects).toContain('enqueue-execution');
  });

  it('the outage path needs two approvals through the outage button', () => {
    const first = ok(approvalTransition(awaiting('outage'), approve(APP2, T0 + 1, true), ctx()));
    expect(first.state.status).toBe('awaiting-approval');
    expect(first.effects).not.toContain('enqueue-execution');
    const second = ok(approvalTransition(first.state, approve(APP3, T0 + 2, true), ctx()));
    expect(second.state.status).toBe('approved');
  });

  it('a deny wins over approvals already given', () => {
    const half = run(awaiting('vip-holder'), [approve(APP2)]);
    const r = ok(approvalTransition(half, { type: 'deny', by: APP3, at: T0 + 3 }, ctx()));
    expect(r.state.status).toBe('denied');
    expect(r.state.decidedBy).toEqual(APP3);
    expect(r.effects).toEqual([
      'audit:remediation.denied',
      'update-approval-message',
      'notify-requester',
    ]);
  });

  it('the requester may cancel', () => {
    const r = ok(approvalTransition(awaiting(), { type: 'cancel', by: REQ, at: T0 + 5 }, ctx()));
    expect(r.state.status).toBe('cancelled');
    expect(r.effects).toEqual(['audit:remediation.cancelled', 'update-approval-message']);
  });

  it('bumps the version on every accepted transition (compare-and-set in the store)', () => {
    const s = run(awaiting('vip-holder'), [approve(APP2), approve(APP3)]);
    expect(s.version).toBe(3);
  });
});

describe('expiry', () => {
  it('expires an undecided request at expiresAt, not before', () => {
    const early = approvalTransition(awaiting(), { type: 'expire', at: T0 + 599_999 }, ctx());
    expect(early.ok ? 'ok' : early.refusal.code).toBe('not-expired');
    expect(early.ok ? null : early.refusal.audit).toBeNull();
    const r = ok(approvalTransition(awaiting(), { type: 'expire', at: T0 + 600_000 }, ctx()));
    expect(r.state.status).toBe('expired');
    expect(r.effects).toEqual([
      'audit:remediation.expired',
      'update-approval-message',
      'notify-requester',
    ]);
  });

  it('leaves a started or decided request untouched', () => {
    const executing = run(awaiting(), [approve(APP2), { type: 'start', at: T0 + 2000 }]);
    const r = ok(approvalTransition(executing, { type: 'expire', at: T0 + 700_000 }, ctx()));
    expect(r.state).toBe(executing);
    expect(r.effects).toEqual([]);
  });

  it('ends an approved request that never started at its expiry (its job was never queued)', () => {
    const approved = run(awaiting(), [approve(APP2)]);
    const early = approvalTransition(approved, { type: 'expire', at: T0 + 599_999 }, ctx());
    expect(early.ok ? 'ok' : early.refusal.code).toBe('not-expired');
    const r = approvalTransition(approved, { type: 'expire', at: T0 + 600_000 }, ctx());
    expect(ok(r).state.status).toBe('expired');
    expect(ok(r).effects).toEqual([
      'audit:remediation.expired',
      'update-approval-message',
      'notify-requester',
    ]);
    expect(r.ok && r.effects[0]?.kind === 'audit' ? r.effects[0].detail.was : null).toBe(
      'approved',
    );
    // A worker picking it up now finds it decided.
    const start = approvalTransition(ok(r).state, { type: 'start', at: T0 + 600_001 }, ctx());
    expect(start.ok ? 'ok' : start.refusal.code).toBe('wrong-state');
  });
});

describe('execution', () => {
  const approved = run(awaiting(), [approve(APP2)]);
  const step = (n: number): ApprovalEvent => ({
    type: 'step-done',
    step: n,
    kind: 'signal',
    host: 'lb-01',
  });

  it('runs approved → executing → steps in order → succeeded; the executor, not the machine, audits', () => {
    const executing = run(approved, [{ type: 'start', at: T0 + 2 }, step(1)]);
    expect(executing).toMatchObject({
      status: 'executing',
      stepsDone: 1,
      lastStep: '1. lb-01 signal',
    });
    const r = ok(
      approvalTransition(
        executing,
        { type: 'finish', outcome: 'succeeded', reason: 'listening' },
        ctx(),
      ),
    );
    expect(r.state.status).toBe('succeeded');
    expect(r.effects).toEqual(['update-approval-message', 'notify-requester']);
  });

  it('never records a step twice or out of order', () => {
    const executing = run(approved, [{ type: 'start', at: T0 + 2 }, step(1)]);
    for (const n of [1, 3]) {
      const r = approvalTransition(executing, step(n), ctx());
      expect(r.ok ? 'ok' : r.refusal.code).toBe('step-out-of-order');
    }
  });

  it.each<[string, ApprovalState, ApprovalEvent, string]>([
    ['start before approval', awaiting(), { type: 'start', at: T0 }, 'wrong-state'],
    [
      'start twice',
      run(approved, [{ type: 'start', at: T0 }]),
      { type: 'start', at: T0 },
      'wrong-state',
    ],
    ['a step before start', approved, step(1), 'wrong-state'],
    [
      'succeeded without starting',
      approved,
      { type: 'finish', outcome: 'succeeded', reason: '' },
      'wrong-state',
    ],
  ])('refuses %s', (_name, state, event, code) => {
    const r = approvalTransition(state, event, ctx());
    expect(r.ok ? 'ok' : r.refusal.code).toBe(code);
  });

  it('a worker lost before step 1 aborts the approved request with its reason', () => {
    const r = ok(
      approvalTransition(
        approved,
        { type: 'finish', outcome: 'aborted', reason: 'worker lost' },
        ctx(),
      ),
    );
    expect(r.state).toMatchObject({ status: 'aborted', outcomeReason: 'worker lost' });
    expect(r.effects).toEqual(['update-approval-message', 'notify-requester']);
  });
});
