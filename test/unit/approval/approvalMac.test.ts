import { createHmac } from 'node:crypto';
import {
  approvalMacInput,
  approvalSigner,
  requestMacInput,
} from '../../../src/approval/approvalMac';
import type { ApprovalState } from '../../../src/approval/ApprovalState';
import type { RemediationRequest } from '../../../src/approval/ApprovalStore';
import { approvalTransition } from '../../../src/approval/approvalTransition';
import { newApprovalRequest } from '../../../src/approval/newApprovalRequest';
import { verifyApprovedRequest } from '../../../src/approval/verifyApprovedRequest';
import type { RemediationPolicy } from '../../../src/domain/Policy';
import { planDigest } from '../../../src/remediation/planDigest';
import { planRemediation } from '../../../src/remediation/planRemediation';
import type { RemediationPlan } from '../../../src/remediation/RemediationPlan';
import { diag, input } from '../../support/factories/planInput';
import { testSigner, TEST_APPROVAL_KEY } from '../../support/testSigner';

const TEAM = 'T01';
const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);
const REQ = { userId: 'U01REQ', teamId: TEAM };
const APP = { userId: 'U02APP', teamId: TEAM };
const APP3 = { userId: 'U03APP', teamId: TEAM };
const POLICY: RemediationPolicy = {
  requesters: { users: ['U01REQ'], groups: [] },
  approvers: { users: ['U02APP', 'U03APP'], groups: [] },
  approvals: { default: 1, vipHolder: 2 },
  expiryMinutes: 10,
};
const ctx = { policy: POLICY, teamId: TEAM, actorGroups: [], signer: testSigner };

function killPlan(): RemediationPlan {
  const r = planRemediation(input('kill-occupant', diag('foreign-listener', 'web-01', null), null));
  if (!r.ok) throw new Error(r.reason);
  return r.plan;
}

/** A request taken through the real state machine: requested by REQ, approved by `by`. */
function approved(plan: RemediationPlan, ...by: (typeof APP)[]): RemediationRequest {
  const step = (s: ApprovalState, e: Parameters<typeof approvalTransition>[1]) => {
    const r = approvalTransition(s, e, ctx);
    if (!r.ok) throw new Error(r.refusal.code);
    return r.state;
  };
  let state = step(newApprovalRequest('Xq3v9JkLmN0pQrStUvWxYz', 'inc-1', plan, planDigest(plan)), {
    type: 'request',
    by: REQ,
    reason: 'rogue listener',
    at: T0,
  });
  for (const [i, who] of by.entries()) {
    state = step(state, { type: 'approve', by: who, at: T0 + 1000 * (i + 1), acceptOutage: false });
  }
  return { state, plan, message: { channel: 'C01', threadTs: '1.1', messageTs: null } };
}

describe('approval MACs', () => {
  it('are HMAC-SHA256 of tagged canonical JSON, and verify only with the same key and bytes', () => {
    const input = approvalMacInput('r-1', 'a'.repeat(64), { ...APP, at: T0 });
    expect(input).toBe(
      `{"at":${T0},"kind":"approval","planDigest":"${'a'.repeat(64)}","requestId":"r-1","teamId":"T01","userId":"U02APP","v":1}`,
    );
    const mac = testSigner.sign(input);
    expect(mac).toBe(createHmac('sha256', TEST_APPROVAL_KEY).update(input).digest('hex'));
    expect(testSigner.verify(input, mac)).toBe(true);
    expect(testSigner.verify(input.replace('U02APP', 'U09EVE'), mac)).toBe(false);
    expect(
      approvalSigner(Buffer.from('another-key-of-32-characters-....')).verify(input, mac),
    ).toBe(false);
  });

  it('refuse malformed MACs without throwing (length, case, non-hex)', () => {
    const input = requestMacInput({
      requestId: 'r-1',
      planDigest: 'b'.repeat(64),
      requester: REQ,
      requestedAt: T0,
      expiresAt: T0 + 600_000,
    });
    const mac = testSigner.sign(input);
    for (const bad of ['', mac.slice(0, 63), `${mac}00`, mac.toUpperCase(), 'z'.repeat(64)]) {
      expect(testSigner.verify(input, bad)).toBe(false);
    }
  });

  it('the state machine signs the request and each approval', () => {
    const r = approved(killPlan(), APP);
    expect(r.state.status).toBe('approved');
    expect(r.state.requestMac).toMatch(/^[0-9a-f]{64}$/);
    expect(r.state.approvals.map((a) => a.mac)).toEqual([
      testSigner.sign(
        approvalMacInput(r.state.requestId, r.state.planDigest, r.state.approvals[0]!),
      ),
    ]);
  });

  it('without a key nobody may request: portbot is read-only', () => {
    const plan = killPlan();
    const r = approvalTransition(
      newApprovalRequest('r-1', 'inc-1', plan, planDigest(plan)),
      { type: 'request', by: REQ, reason: 'rogue listener', at: T0 },
      { ...ctx, signer: null },
    );
    expect(r.ok ? null : r.refusal.code).toBe('read-only');
  });
});

describe('verifyApprovedRequest', () => {
  it('accepts a request as the state machine recorded it', () => {
    expect(verifyApprovedRequest(testSigner, POLICY, approved(killPlan(), APP))).toEqual({
      ok: true,
    });
  });

  it.each<[string, (r: RemediationRequest) => RemediationRequest, string]>([
    [
      'a changed plan with its digest recomputed',
      (r) => {
        const plan = {
          ...r.plan,
          steps: r.plan.steps.map((s) => ({ ...s, command: 'kill -9 1' })),
        };
        return { ...r, plan, state: { ...r.state, planDigest: planDigest(plan) } };
      },
      'request signature does not match',
    ],
    [
      'a changed plan under the old digest',
      (r) => ({ ...r, plan: { ...r.plan, port: 443 } }),
      'does not match the plan hash',
    ],
    [
      'an approval added without a MAC',
      (r) => ({
        ...r,
        state: { ...r.state, approvals: [{ ...APP, at: T0 + 5, mac: 'f'.repeat(64) }] },
      }),
      '0 of 1 required approvals',
    ],
    [
      'an approval moved to another approver',
      (r) => ({
        ...r,
        state: {
          ...r.state,
          approvals: r.state.approvals.map((a) => ({ ...a, userId: 'U09EVE' })),
        },
      }),
      '0 of 1 required approvals',
    ],
    [
      'the requester swapped for someone else',
      (r) => ({ ...r, state: { ...r.state, requester: { userId: 'U09EVE', teamId: TEAM } } }),
      'request signature does not match',
    ],
    [
      'the expiry pushed back',
      (r) => ({ ...r, state: { ...r.state, expiresAt: (r.state.expiresAt ?? 0) + 1 } }),
      'request signature does not match',
    ],
    [
      'no request MAC (a request stored before MACs)',
      (r) => ({ ...r, state: { ...r.state, requestMac: null } }),
      'carries no signature',
    ],
  ])('refuses %s', (_what, tamper, why) => {
    const verdict = verifyApprovedRequest(testSigner, POLICY, tamper(approved(killPlan(), APP)));
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toContain(why);
    expect(verdict.ok ? '' : verdict.reason).toMatch(/: nothing was run$/);
  });

  it('counts a duplicated approval once and takes the threshold from the plan and policy', () => {
    const vip = { ...killPlan(), approvalClass: 'vip-holder' as const };
    const one = approved(vip, APP);
    // The stored state says 1 required and approved: the worker recomputes 2 for a VIP holder.
    const forged = {
      ...one,
      state: {
        ...one.state,
        status: 'approved' as const,
        required: 1,
        approvals: [one.state.approvals[0]!, one.state.approvals[0]!],
      },
    };
    const verdict = verifyApprovedRequest(testSigner, POLICY, forged);
    expect(verdict.ok ? '' : verdict.reason).toContain('1 of 2 required approvals');
    expect(verifyApprovedRequest(testSigner, POLICY, approved(vip, APP, APP3)).ok).toBe(true);
  });

  it('refuses everything when the worker has no key', () => {
    expect(verifyApprovedRequest(null, POLICY, approved(killPlan(), APP)).ok).toBe(false);
  });
});
