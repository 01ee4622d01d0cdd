import type { ApprovalState } from '../../../../src/approval/ApprovalState';
import type { RemediationRequest } from '../../../../src/approval/ApprovalStore';
import { newApprovalRequest } from '../../../../src/approval/newApprovalRequest';
import { planRemediation } from '../../../../src/remediation/planRemediation';
import type { PlanResult, RemediationPlan } from '../../../../src/remediation/RemediationPlan';
import { checkBlockKitLimits } from '../../../../src/render/slack/checkBlockKitLimits';
import { renderApprovalMessage } from '../../../../src/render/slack/renderApprovalMessage';
import { renderRequestModal } from '../../../../src/render/slack/renderRequestModal';
import { BACKUP, diag, input, MASTER } from '../../../support/factories/planInput';
import { expectGolden } from './goldenFile';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const master = diag('foreign-listener', 'lb-01', MASTER);

function planOf(r: PlanResult): RemediationPlan {
  if (!r.ok) throw new Error(r.reason);
  return r.plan;
}

const vipPlan = planOf(
  planRemediation(input('kill-occupant', master, [master, diag('healthy', 'lb-02', BACKUP)])),
);
const outagePlan = planOf(
  planRemediation(
    input('kill-occupant', master, [master, diag('port-free-lb-down', 'lb-02', BACKUP)], {
      acceptOutage: true,
    }),
  ),
);

function request(plan: RemediationPlan, patch: Partial<ApprovalState>): RemediationRequest {
  const state: ApprovalState = {
    ...newApprovalRequest('Xq3v9JkLmN0pQrStUvWxYz', 'inc-7', plan, 'ab12'.repeat(16)),
    status: 'awaiting-approval',
    version: 2,
    requester: { userId: 'U01REQ', teamId: 'T01' },
    reason: 'rogue python on :80 <!channel> keeps nginx from starting',
    requestedAt: T0,
    expiresAt: T0 + 600_000,
    required: 2,
    approvals: [{ userId: 'U02APP', teamId: 'T01', at: T0 + 60_000, mac: 'f'.repeat(64) }],
    ...patch,
  };
  return { state, plan, message: { channel: 'C01', threadTs: '1.1', messageTs: '1.2' } };
}

function expectWithinLimits(label: string, m: { blocks: unknown; text?: string }): void {
  expect({ label, violations: checkBlockKitLimits(m.blocks, m.text) }).toEqual({
    label,
    violations: [],
  });
}

describe('remediation Block Kit golden files', () => {
  it('the request modal', () => {
    const modal = renderRequestModal(vipPlan, { incidentId: 'inc-7', action: 'kill-occupant' });
    expectWithinLimits('modal', modal);
    expect(JSON.parse(modal.private_metadata)).toEqual({
      incidentId: 'inc-7',
      action: 'kill-occupant',
    });
    expectGolden('remediation-modal', modal);
  });

  it('the approval message while open, for a VIP holder and for an outage', () => {
    const open = renderApprovalMessage(request(vipPlan, {}));
    expectWithinLimits('open', open);
    expectGolden('approval.awaiting', open);
    const outage = renderApprovalMessage(request(outagePlan, { approvals: [] }));
    expectWithinLimits('outage', outage);
    expectGolden('approval.outage', outage);
    const ids = (m: typeof open) =>
      m.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []));
    expect(ids(open)).toEqual([
      'portbot:approval:approve',
      'portbot:approval:deny',
      'portbot:approval:cancel',
    ]);
    expect(ids(outage)[0]).toBe('portbot:approval:approve-outage');
  });

  it('final states carry no buttons', () => {
    const approved = renderApprovalMessage(
      request(vipPlan, {
        status: 'approved',
        approvals: [
          { userId: 'U02APP', teamId: 'T01', at: T0 + 60_000, mac: 'f'.repeat(64) },
          { userId: 'U03APP', teamId: 'T01', at: T0 + 90_000, mac: 'f'.repeat(64) },
        ],
      }),
    );
    const denied = renderApprovalMessage(
      request(vipPlan, { status: 'denied', decidedBy: { userId: 'U03APP', teamId: 'T01' } }),
    );
    for (const m of [approved, denied]) {
      expectWithinLimits(m.text, m);
      expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
    }
    expectGolden('approval.approved', approved);
    expectGolden('approval.denied', denied);
  });

  it('a request that ended aborted says what stopped it and offers a fresh diagnosis', () => {
    const aborted = renderApprovalMessage(
      request(vipPlan, {
        status: 'aborted',
        stepsDone: 0,
        outcomeReason:
          'step 1 (recheck-target on lb-01) not run: :80 is held by pid 4242. target changed, re-approval needed: nothing was done',
      }),
    );
    expectWithinLimits('aborted', aborted);
    expect(aborted.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(aborted.blocks)).toContain('/port check lb-01 80');
    expectGolden('approval.aborted', aborted);
  });
});
