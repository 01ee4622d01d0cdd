import type { ApprovalEffect } from '../approval/ApprovalState';
import type { RemediationRequest } from '../approval/ApprovalStore';
import { renderApprovalMessage } from '../render/slack/renderApprovalMessage';
import { renderOutcomeNotice } from '../render/slack/renderOutcomeNotice';
import type { RemediationFlowDeps } from './RemediationFlowDeps';

/** What carrying out approval effects needs: serve's click handlers and the remediation worker share it. */
export type ApprovalEffectDeps = Pick<
  RemediationFlowDeps,
  'slack' | 'approvals' | 'audit' | 'enqueueExecution'
>;

/**
 * Carries out a transition's effects in order, after the new state was stored. `schedule-expiry`
 * is not acted on yet: the state machine refuses every click past `expiresAt` anyway, and the
 * delayed job that greys the buttons out belongs to the remediation worker.
 */
export async function carryOutApprovalEffects(
  deps: ApprovalEffectDeps,
  request: RemediationRequest,
  effects: readonly ApprovalEffect[],
): Promise<void> {
  const { state, message } = request;
  let messageTs = message.messageTs;
  for (const effect of effects) {
    switch (effect.kind) {
      case 'audit':
        await deps.audit({
          type: effect.type,
          actor: effect.actor,
          incidentId: state.incidentId,
          host: state.host,
          port: state.port,
          detail: effect.detail,
        });
        break;
      case 'post-approval-message': {
        const posted = await deps.slack.post({
          channel: message.channel,
          threadTs: message.threadTs,
          ...renderApprovalMessage(request),
        });
        messageTs = posted.ts;
        await deps.approvals.setMessageTs(state.requestId, posted.ts);
        break;
      }
      case 'update-approval-message':
        if (messageTs !== null) {
          await deps.slack.update({
            channel: message.channel,
            ts: messageTs,
            ...renderApprovalMessage(request),
          });
        }
        break;
      case 'schedule-expiry':
        break;
      case 'enqueue-execution':
        await deps.enqueueExecution(state.requestId);
        break;
      case 'notify-requester':
        await deps.slack.post({
          channel: message.channel,
          threadTs: message.threadTs,
          ...renderOutcomeNotice(request),
        });
        break;
    }
  }
}
