import { isPortbotError } from '../domain/PortbotError';
import type { ActionKind } from '../domain/verdict';
import { planKill } from './planKill';
import { planLb } from './planLb';
import { planReservePort } from './planReservePort';
import type { PlanInput, PlanResult, RemediationAction } from './RemediationPlan';

/** The diagnosis action an approval must have been offered for (escalate-kill follows a kill). */
const OFFERED_AS: Record<RemediationAction, ActionKind> = {
  'kill-occupant': 'kill-occupant',
  'escalate-kill': 'kill-occupant',
  'restart-lb': 'restart-lb',
  'reload-lb': 'reload-lb',
  'reserve-port': 'reserve-port',
};

/**
 * Pure: the ordered steps an approved request runs, or why there must be none. Commands come
 * only from runbook/inventory templates and typed parameters, never from chat text.
 */
export function planRemediation(input: PlanInput): PlanResult {
  const d = input.target.diagnosis;
  if (d.host !== input.target.host.name) {
    return {
      ok: false,
      code: 'input-mismatch',
      reason: `the diagnosis is of ${d.host}, not ${input.target.host.name}`,
    };
  }
  if (d.verdict === 'unreachable') {
    return { ok: false, code: 'host-unreachable', reason: `${d.host} could not be diagnosed` };
  }
  const offered = OFFERED_AS[input.action];
  if (!d.actions.some((a) => a.kind === offered)) {
    return {
      ok: false,
      code: 'action-not-offered',
      reason: `the ${d.verdict} diagnosis of ${d.host}:${d.port} does not offer ${offered}`,
    };
  }
  if (!Number.isSafeInteger(input.options.termWaitMs) || input.options.termWaitMs < 0) {
    return { ok: false, code: 'bad-parameter', reason: 'termWaitMs must be a whole number ≥ 0' };
  }
  try {
    switch (input.action) {
      case 'kill-occupant':
      case 'escalate-kill':
        return planKill(input);
      case 'restart-lb':
      case 'reload-lb':
        return planLb(input);
      case 'reserve-port':
        return planReservePort(input);
    }
  } catch (err) {
    // A value that fails validation on its way into a command refuses the plan, never runs.
    if (isPortbotError(err)) return { ok: false, code: 'bad-parameter', reason: err.message };
    throw err;
  }
}
