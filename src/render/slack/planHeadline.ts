import type { RemediationPlan } from '../../remediation/RemediationPlan';
import { escapeMrkdwn, inlineCode } from './escapeMrkdwn';

const CLASS_TEXT: Record<RemediationPlan['approvalClass'], string> = {
  default: 'default approvals',
  'vip-holder': 'acts on the VIP holder: more approvals needed',
  outage: '⚠️ ACCEPTS AN OUTAGE: no healthy HA peer, approve with the outage button',
};

/** Action, target, process identity and HA roles: what the approver must know before the steps. */
export function planHeadline(plan: RemediationPlan): string {
  const lines = [
    `*${escapeMrkdwn(plan.action)}* on ${inlineCode(`${plan.host}:${plan.port}`)} — ${escapeMrkdwn(CLASS_TEXT[plan.approvalClass])}`,
  ];
  if (plan.target) {
    const t = plan.target;
    lines.push(
      `Target: pid ${t.pid} ${inlineCode(t.exe)}, uid ${t.uid}, start ticks ${t.startTicks}`,
    );
    // The exe alone hides which script an interpreter runs: the approver sees what is killed.
    if (t.cmdline !== null) lines.push(`Command line: ${inlineCode(t.cmdline, 200)}`);
  }
  if (plan.ha) {
    const { group, vip, vipHolder, peers } = plan.ha;
    lines.push(
      `HA group ${inlineCode(group)}: VIP ${inlineCode(vip)} on ${vipHolder ? inlineCode(vipHolder) : 'no member'}; healthy peers: ${peers.length > 0 ? peers.map((p) => inlineCode(p)).join(', ') : 'none'}`,
    );
  }
  return lines.join('\n');
}
