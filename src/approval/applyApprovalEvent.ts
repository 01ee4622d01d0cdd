import { PortbotError } from '../domain/PortbotError';
import type { ApprovalContext, ApprovalEffect, ApprovalEvent, Refusal } from './ApprovalState';
import type { ApprovalStore, RemediationRequest } from './ApprovalStore';
import { approvalTransition } from './approvalTransition';

export type ApplyResult =
  | { kind: 'unknown' }
  | { kind: 'refused'; request: RemediationRequest; refusal: Refusal }
  | { kind: 'applied'; request: RemediationRequest; effects: ApprovalEffect[] };

/** Each lost race means another click was applied; this many in a row would be a bug or abuse. */
const MAX_ATTEMPTS = 50;

/**
 * Read, decide with the pure state machine, write with compare-and-set; on a lost race decide
 * again on the fresh state, so concurrent clicks apply one at a time and each exactly once.
 */
export async function applyApprovalEvent(
  store: ApprovalStore,
  requestId: string,
  event: ApprovalEvent,
  context: ApprovalContext,
): Promise<ApplyResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const request = await store.get(requestId);
    if (!request) return { kind: 'unknown' };
    const result = approvalTransition(request.state, event, context);
    if (!result.ok) return { kind: 'refused', request, refusal: result.refusal };
    // A timer that finds the request already decided changes nothing: nothing to write.
    if (result.state === request.state) return { kind: 'applied', request, effects: [] };
    if (await store.compareAndSet(request.state.version, result.state)) {
      return {
        kind: 'applied',
        request: { ...request, state: result.state },
        effects: result.effects,
      };
    }
  }
  throw new PortbotError('INTERNAL', `approval ${requestId}: compare-and-set kept losing`, {
    userFacing: false,
  });
}
