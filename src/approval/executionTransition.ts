import type { ApprovalEvent, ApprovalState, TransitionResult } from './ApprovalState';
import { accept, refuseSystem } from './transitionParts';

type ExecutionEvent = Extract<ApprovalEvent, { type: 'start' | 'step-done' | 'finish' }>;

/**
 * approved → executing → succeeded | failed | aborted, driven by the remediation worker. These
 * transitions write no audit record: the executor does (remediation.step.intent before a step
 * runs, step.done after, one outcome event), because only it can order them around the action.
 */
export function executionTransition(state: ApprovalState, e: ExecutionEvent): TransitionResult {
  switch (e.type) {
    case 'start':
      if (state.status !== 'approved') {
        return refuseSystem('wrong-state', `cannot start a request that is ${state.status}`);
      }
      return accept(state, { status: 'executing' }, [{ kind: 'update-approval-message' }]);
    case 'step-done': {
      if (state.status !== 'executing') {
        return refuseSystem('wrong-state', `no step runs in a request that is ${state.status}`);
      }
      // Steps are recorded in order and once: a replayed or skipped step is a worker bug.
      if (e.step !== state.stepsDone + 1) {
        return refuseSystem('step-out-of-order', `step ${e.step} after step ${state.stepsDone}`);
      }
      return accept(state, { stepsDone: e.step, lastStep: `${e.step}. ${e.host} ${e.kind}` }, [
        { kind: 'update-approval-message' },
      ]);
    }
    case 'finish': {
      // Aborted also covers a request that never started (the worker was lost before step 1).
      const may =
        state.status === 'executing' || (state.status === 'approved' && e.outcome === 'aborted');
      if (!may)
        return refuseSystem('wrong-state', `cannot finish a request that is ${state.status}`);
      return accept(state, { status: e.outcome, outcomeReason: e.reason }, [
        { kind: 'update-approval-message' },
        { kind: 'notify-requester', status: e.outcome },
      ]);
    }
  }
}
