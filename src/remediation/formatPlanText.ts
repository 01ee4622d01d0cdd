import type { RemediationPlan } from './RemediationPlan';

const APPROVALS: Record<RemediationPlan['approvalClass'], string> = {
  default: 'default approvals',
  'vip-holder': 'VIP holder: vipHolder approvals',
  outage: 'ACCEPTS AN OUTAGE: two approvals through the outage button',
};

/** The plan as `portbot plan` prints it: one numbered block per step, in run order. */
export function formatPlanText(plan: RemediationPlan): string {
  const head = [
    `plan: ${plan.action} on ${plan.host} port ${plan.port} (${APPROVALS[plan.approvalClass]})`,
  ];
  if (plan.target) {
    const t = plan.target;
    head.push(`target: pid ${t.pid}, start ticks ${t.startTicks}, exe ${t.exe}, uid ${t.uid}`);
    if (t.cmdline !== null) head.push(`cmdline: ${t.cmdline}`);
  }
  if (plan.ha) {
    const { group, vip, vipHolder, peers } = plan.ha;
    head.push(
      `ha: ${group}, VIP ${vip} on ${vipHolder ?? 'no member'}; healthy peers: ${peers.join(', ') || 'none'}`,
    );
  }
  const width = String(plan.steps.length).length;
  const steps = plan.steps.map((step, i) =>
    [
      `${String(i + 1).padStart(width)}. ${step.host}  ${step.kind}${step.mutating ? '' : '  (read-only)'}`,
      `     $ ${step.command}`,
      `     why: ${step.why}`,
    ].join('\n'),
  );
  return [...head, '', ...steps].join('\n') + '\n';
}
