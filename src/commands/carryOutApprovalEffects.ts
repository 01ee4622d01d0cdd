import type { ApprovalEffect } from '../approval/ApprovalState';
import type { RemediationRequest } from '../approval/ApprovalStore';
import { errorMessage } from '../domain/errorMessage';
import { renderApprovalMessage } from '../render/slack/renderApprovalMessage';
import { renderOutcomeDm } from '../render/slack/renderOutcomeDm';
import { renderOutcomeNotice } from '../render/slack/renderOutcomeNotice';
import type { RemediationFlowDeps } from './RemediationFlowDeps';
import { withSlackRetries } from './withSlackRetries';

/**
 * What carrying out approval effects needs: serve's click handlers, the expiry worker and the
 * remediation worker share it.
 */
export type ApprovalEffectDeps = Pick<
  RemediationFlowDeps,
  'slack' | 'approvals' | 'audit' | 'enqueueExecution' | 'scheduleExpiry' | 'log'
>;

type SlackEffect = Extract<
  ApprovalEffect,
  { kind: 'post-approval-message' | 'update-approval-message' | 'notify-requester' }
>;

/** What could not be shown in Slack; the stored state and the audit log are right regardless. */
export interface EffectsCarriedOut {
  slackFailed: SlackEffect['kind'][];
}

function isSlackEffect(effect: ApprovalEffect): effect is SlackEffect {
  return (
    effect.kind === 'post-approval-message' ||
    effect.kind === 'update-approval-message' ||
    effect.kind === 'notify-requester'
  );
}

/**
 * Carries out a transition's effects after the new state was stored. The durable effects (audit,
 * the expiry job, the execution job) come first and their errors are thrown: an approved request
 * whose execution was never queued would stay `approved` for ever. Slack effects come after, are
 * retried on rate limits, and a failure is logged and reported, never thrown: the next update of
 * the message re-renders the whole state.
 */
export async function carryOutApprovalEffects(
  deps: ApprovalEffectDeps,
  request: RemediationRequest,
  effects: readonly ApprovalEffect[],
): Promise<EffectsCarriedOut> {
  const { state } = request;
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
      case 'schedule-expiry':
        await deps.scheduleExpiry(state.requestId, effect.at);
        break;
      case 'enqueue-execution':
        await deps.enqueueExecution(state.requestId);
        break;
      default:
        break;
    }
  }
  const slackFailed: SlackEffect['kind'][] = [];
  let messageTs = request.message.messageTs;
  for (const effect of effects.filter(isSlackEffect)) {
    try {
      messageTs = await carryOutSlackEffect(deps, request, effect, messageTs);
    } catch (err) {
      slackFailed.push(effect.kind);
      deps.log.error(
        {
          incidentId: state.incidentId,
          requestId: state.requestId,
          status: state.status,
          effect: effect.kind,
          err: errorMessage(err),
        },
        'remediation Slack message failed; the request state is stored',
      );
    }
  }
  return { slackFailed };
}

async function carryOutSlackEffect(
  deps: ApprovalEffectDeps,
  request: RemediationRequest,
  effect: SlackEffect,
  messageTs: string | null,
): Promise<string | null> {
  const { state, message } = request;
  switch (effect.kind) {
    case 'post-approval-message': {
      // The post client never resends a timed-out call, so only a refusal is retried here.
      const posted = await withSlackRetries(() =>
        deps.slack.post({
          channel: message.channel,
          threadTs: message.threadTs,
          ...renderApprovalMessage(request),
        }),
      );
      await deps.approvals.setMessageTs(state.requestId, posted.ts);
      return posted.ts;
    }
    case 'update-approval-message':
      if (messageTs !== null) {
        const ts = messageTs;
        await withSlackRetries(() =>
          deps.slack.update({ channel: message.channel, ts, ...renderApprovalMessage(request) }),
        );
      }
      return messageTs;
    case 'notify-requester': {
      // The DM is the requester's notification; the thread reply tells the channel, and pings
      // the requester only when the DM could not be delivered.
      const told = await dmRequester(deps, request);
      await withSlackRetries(() =>
        deps.slack.post({
          channel: message.channel,
          threadTs: message.threadTs,
          ...renderOutcomeNotice(request, { mention: !told }),
        }),
      );
      return messageTs;
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
  const requester = state.requester.userId;
  try {
    const channel = await withSlackRetries(() => deps.slack.openDm(requester));
    await withSlackRetries(() => deps.slack.post({ channel, ...renderOutcomeDm(request) }));
    return true;
  } catch (err) {
    deps.log.warn(
      {
        incidentId: state.incidentId,
        requestId: state.requestId,
        host: state.host,
        port: state.port,
        status: state.status,
        err: errorMessage(err),
      },
      'outcome DM to the requester failed; told in the thread',
    );
    return false;
  }
}
