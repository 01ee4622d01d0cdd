import { applyApprovalEvent } from '../approval/applyApprovalEvent';
import type { ApprovalContext } from '../approval/ApprovalState';
import {
  carryOutApprovalEffects,
  type ApprovalEffectDeps,
} from '../commands/carryOutApprovalEffects';
import { RetryLater } from '../domain/RetryLater';

/** The expire event is the system's: no policy, workspace or user groups take part in it. */
const SYSTEM_CONTEXT: ApprovalContext = {
  policy: undefined,
  teamId: '',
  actorGroups: [],
  signer: null,
};

export type ExpiryOutcome = 'expired' | 'already-decided' | 'unknown';

/**
 * A request's expiry job fired: apply `expire` with compare-and-set, so a request decided
 * meanwhile (or by a click at the same moment) changes nothing, and carry out what follows
 * (audit `remediation.expired`, the approval message updated in place without buttons, the
 * requester told). Only this job expires a request, so finding it already expired means an
 * earlier run of the job stopped part-way (Slack failed): the message is rendered again in
 * place, while the audit and the notices stay with the run that won the compare-and-set.
 */
export async function processExpiryJob(
  deps: ApprovalEffectDeps & { now: () => number },
  requestId: string,
): Promise<ExpiryOutcome> {
  const result = await applyApprovalEvent(
    deps.approvals,
    requestId,
    { type: 'expire', at: deps.now() },
    SYSTEM_CONTEXT,
  );
  if (result.kind === 'unknown') {
    deps.log.info({ requestId }, 'expiry job for a request no longer stored');
    return 'unknown';
  }
  if (result.kind === 'refused') {
    // Early (another host's clock, or a job scheduled before a longer expiry): come back then.
    const expiresAt = result.request.state.expiresAt ?? deps.now();
    throw new RetryLater(Math.max(1, expiresAt - deps.now()), result.refusal.message);
  }
  if (result.effects.length > 0) {
    await carryOutApprovalEffects(deps, result.request, result.effects);
    return 'expired';
  }
  if (result.request.state.status === 'expired') {
    await carryOutApprovalEffects(deps, result.request, [{ kind: 'update-approval-message' }]);
    return 'expired';
  }
  return 'already-decided';
}
