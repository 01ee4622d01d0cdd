import type { HaView } from './analyseHa';
import type {
  ApprovalClass,
  PlanInput,
  PlanResult,
  PlanStep,
  TargetIdentity,
} from './RemediationPlan';

/** Any change on the VIP holder needs the vipHolder threshold; an accepted outage, the outage one. */
function approvalClassOf(ha: HaView | null): ApprovalClass {
  if (ha?.outage) return 'outage';
  return ha?.targetHoldsVip ? 'vip-holder' : 'default';
}

export function assemblePlan(
  input: PlanInput,
  ha: HaView | null,
  target: TargetIdentity | null,
  steps: PlanStep[],
): PlanResult {
  const d = input.target.diagnosis;
  return {
    ok: true,
    plan: {
      host: d.host,
      port: d.port,
      action: input.action,
      approvalClass: approvalClassOf(ha),
      target,
      ha: ha && { group: ha.group, vip: ha.vip, vipHolder: ha.vipHolder, peers: ha.healthyPeers },
      steps,
    },
  };
}
