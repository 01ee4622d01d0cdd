import type { Identity } from '../approval/ApprovalState';
import { isPrincipal } from '../policy/isPrincipal';
import type { ActionKind } from '../domain/verdict';
import { REMEDIATION_ACTIONS, type RemediationAction } from '../remediation/RemediationPlan';
import { renderNotice } from '../render/slack/renderNotice';
import { renderRequestModal } from '../render/slack/renderRequestModal';
import { planForIncident } from './planForIncident';
import { actorGroups } from './actorGroups';
import type { RemediationFlowDeps } from './RemediationFlowDeps';

export interface RemediationButtonClick {
  incidentId: string;
  kind: ActionKind;
  user: Identity;
  triggerId: string;
  channel: string;
  threadTs: string | null;
}

/**
 * A remediation button on a diagnosis: check who asks, plan afresh from the incident and open
 * the request modal. Every refusal is an ephemeral that says why, and is audited.
 */
export async function handleRemediationButton(
  deps: RemediationFlowDeps,
  click: RemediationButtonClick,
): Promise<void> {
  const refuse = async (message: string): Promise<void> => {
    deps.log.info({ user: click.user.userId, kind: click.kind }, 'remediation button refused');
    await deps.audit({
      type: 'button.refused',
      actor: click.user.userId,
      incidentId: click.incidentId,
      host: null,
      port: null,
      detail: { kind: click.kind, reason: message, channel: click.channel },
    });
    await deps.slack.postEphemeral({
      channel: click.channel,
      user: click.user.userId,
      ...(click.threadTs ? { threadTs: click.threadTs } : {}),
      ...renderNotice(`🔒 "${click.kind}" was not run: ${message}`),
    });
  };
  const policy = deps.policy.remediation;
  if (!policy) {
    return refuse(
      'no approvers are configured in the policy, so portbot stays read-only; nothing was changed.',
    );
  }
  const action = remediationAction(click.kind);
  if (!action) return refuse('this is an escalation: there is nothing for portbot to run.');
  const { groups } = await actorGroups(deps, click.user.userId);
  if (!isPrincipal(policy.requesters, click.user.userId, groups)) {
    return refuse(`${click.user.userId} may not request remediation.`);
  }
  const planned = await planForIncident(deps, click.incidentId, action);
  if (!planned.ok) return refuse(planned.message);
  await deps.slack.openView(
    click.triggerId,
    renderRequestModal(planned.plan, { incidentId: click.incidentId, action }),
  );
}

function remediationAction(kind: ActionKind): RemediationAction | null {
  return REMEDIATION_ACTIONS.find((a) => a === kind) ?? null;
}
