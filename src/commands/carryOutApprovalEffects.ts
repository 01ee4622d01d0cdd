import type { ApprovalEffect } from '../approval/ApprovalState';
import type { RemediationRequest } from '../approval/ApprovalStore';
import { renderApprovalMessage } from '../render/slack/renderApprovalMessage';
import { renderOutcomeDm } from '../render/slack/renderOutcomeDm';
import { renderOutcomeNotice } from '../render/slack/renderOutcomeNotice';
import type { RemediationFlowDeps } from './RemediationFlowDeps';

/**
 * What carrying out approval effects needs: serve's click handlers, the expiry worker and the
 * remediation worker share it.
 */
export type ApprovalEffectDeps = Pick<
  RemediationFlowDeps,
  'slack' | 'approvals' | 'audit' | 'enqueueExecution' | 'scheduleExpiry' | 'log'
>;

/**
 * Carries out a transition's effects in order, after the new state was stored. `schedule-expiry`
 * adds the delayed job that expires the request by itself (its worker applies `expire` and
 * carries out the effects that follow: audit, the message updated in place, the requester told).
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
        await deps.scheduleExpiry(state.requestId, effect.at);
        break;
      case 'enqueue-execution':
        await deps.enqueueExecution(state.requestId);
        break;
      case 'notify-requester': {
        // The DM is the requester's notification; the thread reply tells the channel, and pings
        // the requester only when the DM could not be delivered.
        const told = await dmRequester(deps, request);
        await deps.slack.post({
          channel: message.channel,
          threadTs: message.threadTs,
          ...renderOutcomeNotice(request, { mention: !told }),
        });
        break;
      }
    }
  }
}

/** A DM that fails (deactivated user, missing `im:write`, Slack down) is logged, never thrown. */
async function dmRequester(
  deps: ApprovalEffectDeps,
  request: RemediationRequest,
): Promise<boolean> {
  const { state } = request;
  if (!state.requester) return false;
  try {
    const channel = await deps.slack.openDm(state.requester.userId);
    await deps.slack.post({ channel, ...renderOutcomeDm(request) });
    return true;
  } catch (err) {
    deps.log.warn(
      {
        incidentId: state.incidentId,
        requestId: state.requestId,
        host: state.host,
        port: state.port,
        status: state.status,
        err: err instanceof Error ? err.message : String(err),
      },
      'outcome DM to the requester failed; told in the thread',
    );
    return false;
  }
}
