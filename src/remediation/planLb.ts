import { analyseHa } from './analyseHa';
import { assemblePlan } from './assemblePlan';
import { configTestStep, lbMove, lbMoveSteps, type StepScope } from './lbSteps';
import type { PlanInput, PlanResult } from './RemediationPlan';
import { withHandover } from './withHandover';

/**
 * restart-lb and reload-lb: config test first, then reload a running LB (restart only when
 * asked), start one that is down, and see it listen. Only a restart interrupts the service, so
 * only a restart on the VIP holder hands the VIP over first.
 */
export function planLb(input: PlanInput): PlanResult {
  const d = input.target.diagnosis;
  const lb = input.target.lb;
  if (!lb) {
    return { ok: false, code: 'no-lb', reason: `${d.host} has no managed LB in the inventory` };
  }
  const s: StepScope = { host: d.host, port: d.port, sudo: input.options.sudo };
  const move = lbMove(d.lb?.running === true, input.action === 'restart-lb');
  const haResult = analyseHa(input, move === 'restart-lb');
  if (!haResult.ok) return haResult;
  const ha = haResult.ha;
  const steps = [configTestStep(s, lb), ...withHandover(s, ha, lbMoveSteps(s, lb, move), lb.kind)];
  return assemblePlan(input, ha, null, steps);
}
