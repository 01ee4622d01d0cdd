import { errorMessage } from '../domain/errorMessage';
import { PortbotError } from '../domain/PortbotError';
import type { ExecuteDeps, ExecutionContext, ExecutionOutcome } from './ExecutionPorts';
import { lostRunOutcome } from './lostRunOutcome';
import { outcomeAuditEvent } from './outcomeAuditEvent';
import type { RemediationPlan } from './RemediationPlan';
import { runStep, type StepFailure } from './runStep';

/** The fencing scope: the HA group, or the lone host (names cannot contain '/'). */
export function lockScope(plan: RemediationPlan): string {
  return plan.ha ? `group/${plan.ha.group}` : `host/${plan.host}`;
}

/**
 * Carries out an approved plan, step by step, over injected ports only. Before each step the
 * fencing token is checked and the step is entered in the journal exactly once; a request
 * whose journal already has entries was begun by a lost worker and is aborted without running
 * anything. The outcome is settled (deps.settle, a compare-and-set on the request's state) and
 * only the run that settles it writes the one remediation.succeeded|failed|aborted audit event
 * (an error writing that event is thrown: the caller must not report an outcome the audit log
 * lacks). A run that lost the race (fenced out while stopped, ended by a takeover) logs and
 * writes nothing terminal.
 */
export async function executePlan(
  deps: ExecuteDeps,
  plan: RemediationPlan,
  ctx: ExecutionContext,
): Promise<ExecutionOutcome> {
  const outcome = await decide(deps, plan, ctx);
  if (!(await deps.settle(outcome))) {
    deps.log.warn(
      {
        requestId: ctx.requestId,
        incidentId: ctx.incidentId,
        status: outcome.status,
        code: outcome.code,
        lastCompletedStep: outcome.lastCompletedStep,
      },
      'remediation outcome not recorded: another run already ended the request',
    );
    return outcome;
  }
  try {
    await deps.audit.append(outcomeAuditEvent(plan, ctx, outcome));
  } catch (err) {
    throw new AuditWriteError(ctx.requestId, err);
  }
  return outcome;
}

/** The outcome happened on the hosts but is not in the audit log: a human must look. */
export class AuditWriteError extends PortbotError {
  constructor(requestId: string, cause: unknown) {
    super('INTERNAL', `remediation ${requestId}: the outcome could not be audited`, {
      userFacing: false,
      cause,
    });
    this.name = 'AuditWriteError';
  }
}

async function decide(
  deps: ExecuteDeps,
  plan: RemediationPlan,
  ctx: ExecutionContext,
): Promise<ExecutionOutcome> {
  try {
    const prior = await deps.journal.read(ctx.requestId);
    return prior.started.length > 0 ? lostRunOutcome(prior) : await runFenced(deps, plan, ctx);
  } catch (err) {
    // Only the journal read or the lock acquisition gets here, both before any step.
    deps.log.error(
      { requestId: ctx.requestId, incidentId: ctx.incidentId, err: errorMessage(err) },
      'remediation could not begin',
    );
    return executorError(null);
  }
}

/** Says where the run stopped, never why in raw error text (that goes to the worker's log). */
function executorError(last: number | null): ExecutionOutcome {
  return {
    status: 'aborted',
    code: 'executor-error',
    reason: `the executor could not go on after step ${last ?? 'none'} (its lock, journal or state could not be written): nothing more was run`,
    lastCompletedStep: last,
    leftBehind: null,
  };
}

async function runFenced(
  deps: ExecuteDeps,
  plan: RemediationPlan,
  ctx: ExecutionContext,
): Promise<ExecutionOutcome> {
  const scope = lockScope(plan);
  const token = await deps.lock.acquire(scope, deps.lockTtlMs);
  if (token === null) {
    return {
      status: 'aborted',
      code: 'ha-group-busy',
      reason: `another remediation runs on ${scope}: nothing was done`,
      lastCompletedStep: null,
      leftBehind: null,
    };
  }
  const progress: { last: number | null } = { last: null };
  try {
    return await whileHolding(deps, scope, token, () =>
      runSteps(deps, plan, ctx, scope, token, progress),
    );
  } catch (err) {
    // A port failed mid-plan (journal, lock, progress): stop here, never guess at a retry.
    deps.log.error(
      {
        requestId: ctx.requestId,
        incidentId: ctx.incidentId,
        lastCompletedStep: progress.last,
        err: errorMessage(err),
      },
      'remediation stopped by a failing port',
    );
    return executorError(progress.last);
  } finally {
    // A release that fails leaves the lock to lapse after lockTtlMs; it must not replace the
    // outcome of steps that already ran.
    await deps.lock.release(scope, token).catch(() => undefined);
  }
}

/**
 * Renews the fencing lock for as long as the run lasts, so a step longer than the lock's TTL (a
 * slow reload, a long SIGTERM wait) or a slow progress update to Slack between steps does not let
 * another run take the group mid-plan. A renewal that finds the lock gone is caught by the check
 * before the next step.
 */
async function whileHolding<T>(
  deps: ExecuteDeps,
  scope: string,
  token: number,
  run: () => Promise<T>,
): Promise<T> {
  const renew = setInterval(
    () => {
      deps.lock.holds(scope, token, deps.lockTtlMs).catch(() => undefined);
    },
    Math.max(1000, Math.floor(deps.lockTtlMs / 3)),
  );
  try {
    return await run();
  } finally {
    clearInterval(renew);
  }
}

async function runSteps(
  deps: ExecuteDeps,
  plan: RemediationPlan,
  ctx: ExecutionContext,
  scope: string,
  token: number,
  progress: { last: number | null },
): Promise<ExecutionOutcome> {
  const stop = (f: StepFailure, leftBehind: string | null): ExecutionOutcome => ({
    ...f,
    lastCompletedStep: progress.last,
    leftBehind,
  });
  for (const [i, step] of plan.steps.entries()) {
    const n = i + 1;
    if (!(await deps.lock.holds(scope, token, deps.lockTtlMs))) {
      const reason = `the lock on ${scope} was lost before step ${n}: another run may act`;
      return stop({ status: 'aborted', code: 'fencing-lost', reason }, step.ifFails);
    }
    if (!(await deps.journal.begin(ctx.requestId, n))) {
      const reason = `step ${n} was begun before: it is never run twice`;
      return stop({ status: 'aborted', code: 'worker-lost', reason }, step.ifFails);
    }
    await deps.onProgress({ number: n, step, status: 'running', detail: null });
    const failure = await runStep(deps, plan, ctx, n, step);
    if (failure) {
      await deps.onProgress({ number: n, step, status: 'failed', detail: failure.reason });
      return stop(failure, step.ifFails);
    }
    await deps.journal.complete(ctx.requestId, n);
    progress.last = n;
    await deps.onProgress({ number: n, step, status: 'done', detail: null });
  }
  return {
    status: 'succeeded',
    code: null,
    reason: `${plan.steps.length} steps done`,
    lastCompletedStep: progress.last,
    leftBehind: null,
  };
}
