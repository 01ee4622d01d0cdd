import { createHash } from 'node:crypto';
import type { ExecResult } from '../domain/CommandRunner';
import { errorMessage } from '../domain/errorMessage';
import { isPortbotError } from '../domain/PortbotError';
import type { AbortCode, ExecuteDeps, ExecutionContext, ExecutionStatus } from './ExecutionPorts';
import type { PlanStep, RemediationPlan } from './RemediationPlan';
import { verifyChecks } from './verifyChecks';

export interface StepFailure {
  status: Exclude<ExecutionStatus, 'succeeded'>;
  code: AbortCode | 'command-failed';
  reason: string;
}

/** The digest kept in the audit log instead of the output itself (which may hold secrets). */
function outputSha256(r: ExecResult): string {
  return createHash('sha256').update(r.stdout).update('\0').update(r.stderr).digest('hex');
}

/** Raw error text stays in the worker's log; the outcome (shown in Slack) carries the ref. */
function logStepError(
  deps: ExecuteDeps,
  ctx: ExecutionContext,
  n: number,
  err: unknown,
  msg: string,
): void {
  deps.log.error(
    { requestId: ctx.requestId, incidentId: ctx.incidentId, step: n, err: errorMessage(err) },
    msg,
  );
}

function runsCommand(step: PlanStep): boolean {
  return step.mutating || step.verification.some((c) => c.kind === 'exit-zero');
}

function stepEvent(
  plan: RemediationPlan,
  ctx: ExecutionContext,
  n: number,
  step: PlanStep,
  type: string,
  extra: Record<string, string | number | null>,
) {
  return {
    type,
    actor: ctx.actor,
    incidentId: ctx.incidentId,
    host: step.host,
    port: plan.port,
    detail: { requestId: ctx.requestId, step: n, kind: step.kind, command: step.command, ...extra },
  };
}

/**
 * One step: intent in the audit log (mutating steps; no intent, no run), precondition on a
 * fresh probe, the command, `done` with exit code, duration and output digest, verification.
 * Never retried: whatever fails ends the plan here.
 */
export async function runStep(
  deps: ExecuteDeps,
  plan: RemediationPlan,
  ctx: ExecutionContext,
  n: number,
  step: PlanStep,
): Promise<StepFailure | null> {
  const at = `step ${n} (${step.kind} on ${step.host})`;
  if (step.mutating) {
    try {
      await deps.audit.append(stepEvent(plan, ctx, n, step, 'remediation.step.intent', {}));
    } catch (err) {
      logStepError(deps, ctx, n, err, 'remediation step intent not written');
      return {
        status: 'aborted',
        code: 'audit-unavailable',
        reason: `${at} not run: its intent could not be written to the audit log (ref ${ctx.requestId})`,
      };
    }
  }
  const pre = await verifyChecks(deps, step.precondition, plan.port, null);
  if (pre.failed) {
    const targetChanged = step.precondition.some((c) => c.kind === 'occupant-is');
    return {
      status: 'aborted',
      code: targetChanged ? 'target-changed' : 'precondition-failed',
      reason: `${at} not run: ${pre.failed.detail}`,
    };
  }
  let exit: ExecResult | null = null;
  if (runsCommand(step)) {
    const host = deps.hosts.get(step.host);
    if (!host)
      return { status: 'aborted', code: 'unknown-host', reason: `${at}: not in the inventory` };
    try {
      exit = await deps.runner.run(host, step.command);
    } catch (err) {
      if (!isPortbotError(err)) logStepError(deps, ctx, n, err, 'remediation step command threw');
      const why = isPortbotError(err)
        ? `${err.code}: ${err.message}`
        : `unexpected error (ref ${ctx.requestId})`;
      // Whether a command that lost its connection ran is unknown: the journal keeps it open.
      return { status: 'failed', code: 'command-failed', reason: `${at}: ${why}` };
    }
    if (step.mutating) {
      const done = stepEvent(plan, ctx, n, step, 'remediation.step.done', {
        exitCode: exit.code,
        signal: exit.signal,
        durationMs: exit.durationMs,
        outputSha256: outputSha256(exit),
      });
      try {
        await deps.audit.append(done);
      } catch (err) {
        logStepError(deps, ctx, n, err, 'remediation step result not written');
        return {
          status: 'aborted',
          code: 'audit-unavailable',
          reason: `${at} ran but its result could not be written to the audit log (ref ${ctx.requestId})`,
        };
      }
    }
  }
  const post = await verifyChecks(deps, step.verification, plan.port, exit);
  if (!post.failed) return null;
  if (step.mutating && exit && exit.code !== 0) {
    return { status: 'failed', code: 'command-failed', reason: `${at}: ${post.failed.detail}` };
  }
  return {
    status: 'aborted',
    code: step.kind === 'recheck-target' ? 'target-changed' : 'verification-failed',
    reason: `${at}: ${post.failed.detail}`,
  };
}
