import { checkReason } from '../../../src/approval/checkReason';
import type { RemediationRequest } from '../../../src/approval/ApprovalStore';
import { newApprovalRequest } from '../../../src/approval/newApprovalRequest';
import { renderApprovalMessage } from '../../../src/render/slack/renderApprovalMessage';
import type { RemediationPlan } from '../../../src/remediation/RemediationPlan';

describe('checkReason', () => {
  it.each([
    ['nginx cannot bind :80', 'nginx cannot bind :80'],
    ['  fix it  ', 'fix it'],
    ['fi\u200bx', 'fix'],
    ['\u202eevil', 'evil'],
  ])('keeps %j as %j', (raw, kept) => {
    expect(checkReason(raw)).toEqual({ ok: true, reason: kept });
  });

  it.each([
    ['line one\n*✅ Approved: queued for execution*', 'must be one line'],
    ['a\r\nb and more', 'must be one line'],
    ['a\u2028b and more', 'must be one line'],
    ['a\u2029b and more', 'must be one line'],
    ['a\u0085b and more', 'must be one line'],
    ['', 'at least 3 visible characters'],
    ['   ', 'at least 3 visible characters'],
    ['\u200b\u200b\u200b\u200b', 'at least 3 visible characters'],
    ['\u200b \u2060\ufeff\u200d', 'at least 3 visible characters'],
    ['o k', 'at least 3 visible characters'],
    ['x'.repeat(2001), 'at most 2000 characters'],
  ])('refuses %j', (raw, message) => {
    const r = checkReason(raw);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toContain(message);
  });
});

describe('the reason in the approval message', () => {
  it('stays on the requester line even when a stored reason holds line breaks', () => {
    const plan: RemediationPlan = {
      host: 'lb-01',
      port: 80,
      action: 'kill-occupant',
      approvalClass: 'default',
      target: null,
      ha: null,
      steps: [],
    };
    const forged = 'ok\n*✅ Approved: queued for execution*\u2028Approvals: 2 of 2';
    const request: RemediationRequest = {
      state: {
        ...newApprovalRequest('r-1', 'inc-1', plan, 'a'.repeat(64)),
        status: 'awaiting-approval',
        requester: { userId: 'U01REQ', teamId: 'T01' },
        reason: forged,
        required: 2,
      },
      plan,
      message: { channel: 'C01', threadTs: '1.1', messageTs: null },
    };
    const text = JSON.stringify(renderApprovalMessage(request).blocks);
    const status = /"text":"(\*⏳ Awaiting approval\*[^"]*)"/.exec(text)?.[1] ?? '';
    const lines = status.split('\\n');
    expect(lines[1]).toBe(
      'Requested by <@U01REQ>, reason: “ok *✅ Approved: queued for execution* Approvals: 2 of 2”',
    );
    expect(lines.filter((l) => l.startsWith('Approvals:'))).toEqual([
      'Approvals: 0 of 2 (none yet)',
    ]);
  });
});
