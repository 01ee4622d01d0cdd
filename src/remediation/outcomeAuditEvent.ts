import type { AuditEventInput } from '../audit/AuditEvent';
import type { ExecutionContext, ExecutionOutcome } from './ExecutionPorts';
import type { RemediationPlan } from './RemediationPlan';

/** The one remediation.succeeded|failed|aborted record that ends every request that was approved. */
export function outcomeAuditEvent(
  plan: RemediationPlan,
  ctx: ExecutionContext,
  outcome: ExecutionOutcome,
): AuditEventInput {
  return {
    type: `remediation.${outcome.status}`,
    actor: ctx.actor,
    incidentId: ctx.incidentId,
    host: plan.host,
    port: plan.port,
    detail: {
      requestId: ctx.requestId,
      action: plan.action,
      code: outcome.code,
      reason: outcome.reason,
      lastCompletedStep: outcome.lastCompletedStep,
      leftBehind: outcome.leftBehind,
    },
  };
}
