import type { ExecutionOutcome, JournalState } from './ExecutionPorts';

/** The last step of the journal that completed, or null when none did. */
export function lastCompletedStep(j: JournalState): number | null {
  return j.done.length > 0 ? Math.max(...j.done) : null;
}

/**
 * The outcome of a request whose run was lost (worker killed, lock lapsed): nothing runs again,
 * whatever the journal says, because a step that began without a `done` may or may not have acted.
 */
export function lostRunOutcome(j: JournalState): ExecutionOutcome {
  const last = lastCompletedStep(j);
  const unknown = j.started.length > j.done.length ? ' with a step of unknown outcome' : '';
  return {
    status: 'aborted',
    code: 'worker-lost',
    reason: `an earlier run of this request stopped after step ${last ?? 'none'}${unknown}: nothing is run again; diagnose afresh`,
    lastCompletedStep: last,
    leftBehind: null,
  };
}
