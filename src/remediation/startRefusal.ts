import type { AuditEvent } from '../audit/AuditEvent';
import type { ExecutionOutcome } from './ExecutionPorts';

/** Written by the worker after it took a request and before its first step. */
export const EXECUTION_STARTED_EVENT = 'remediation.execution.started';

/**
 * How far before the signed `requestedAt` the worker reads the audit log for an earlier run:
 * room for clocks of serve and the audit writer that disagree.
 */
export const EARLIER_RUN_SLACK_MS = 10 * 60_000;

/** An audit event that shows this request's plan was already begun by some worker. */
export function isEarlierRun(e: AuditEvent, requestId: string): boolean {
  return (
    (e.type === EXECUTION_STARTED_EVENT || e.type === 'remediation.step.intent') &&
    e.detail.requestId === requestId
  );
}

/**
 * Why a verified request must not begin, before any step: its signed approval window has passed
 * (a replayed or long-stuck request), or the audit log already records a run of it (a request
 * reset by a Redis write or rollback). Null when it may begin.
 */
export function startRefusal(
  expiresAt: number,
  now: number,
  earlierRun: AuditEvent | null,
): ExecutionOutcome | null {
  if (now >= expiresAt) {
    return aborted(
      'approval-expired',
      `approval expired before execution began (at ${new Date(expiresAt).toISOString()}); re-approval needed, nothing was run`,
    );
  }
  if (earlierRun) {
    return aborted(
      'already-executed',
      `already executed per the audit log (${earlierRun.type} #${earlierRun.seq} at ${earlierRun.at}); nothing was run again`,
    );
  }
  return null;
}

function aborted(code: 'approval-expired' | 'already-executed', reason: string): ExecutionOutcome {
  return { status: 'aborted', code, reason, lastCompletedStep: null, leftBehind: null };
}
