import type { Identity } from '../approval/ApprovalState';
import { isPrincipal } from '../policy/isPrincipal';
import { ACTION_KINDS } from '../domain/verdict';
import type { RemediationAction } from '../remediation/RemediationPlan';
import type { RequestModalMetadata } from '../render/slack/renderRequestModal';
import { renderNotice } from '../render/slack/renderNotice';
import { servedTeam } from './servedTeam';
import type { RemediationFlowDeps } from './RemediationFlowDeps';

export interface SubmissionRefusal {
  code: 'wrong-team' | 'read-only' | 'not-requester' | 'action-not-offered';
  message: string;
}

interface Submission {
  metadata: RequestModalMetadata;
  user: Identity;
  team: string;
}

/**
 * What a request modal's submission is refused for before anything is planned or stored: the
 * submitter's workspace and role, and an action that no diagnosis button offers (escalate-kill,
 * SIGKILL, is never offered in Slack: private_metadata naming it was not written by portbot).
 * The state machine checks identity and role again when the request is recorded.
 */
export function submissionRefusal(
  deps: Pick<RemediationFlowDeps, 'policy'>,
  { metadata, user, team }: Submission,
  groups: readonly string[],
): SubmissionRefusal | null {
  if (user.teamId !== servedTeam(deps.policy, team)) {
    return { code: 'wrong-team', message: `${user.userId} is not a member of this workspace` };
  }
  const policy = deps.policy.remediation;
  if (!policy) {
    return { code: 'read-only', message: 'no approvers are configured: portbot is read-only' };
  }
  if (!isPrincipal(policy.requesters, user.userId, groups)) {
    return { code: 'not-requester', message: `${user.userId} may not request remediation` };
  }
  if (!offeredByButton(metadata.action)) {
    return {
      code: 'action-not-offered',
      message: `${metadata.action} is not an action this incident's diagnosis offers`,
    };
  }
  return null;
}

function offeredByButton(action: RemediationAction): boolean {
  return (ACTION_KINDS as readonly string[]).includes(action);
}

/** Audited like a refused click (no request exists), and the submitter is told why. */
export async function refuseSubmission(
  deps: RemediationFlowDeps,
  { metadata, user }: Submission,
  refusal: SubmissionRefusal,
): Promise<void> {
  deps.log.info({ user: user.userId, code: refusal.code }, 'remediation request refused');
  await deps.audit({
    type: 'remediation.approval.refused',
    actor: user.userId,
    incidentId: metadata.incidentId,
    host: null,
    port: null,
    detail: {
      code: refusal.code,
      reason: refusal.message,
      action: metadata.action,
      teamId: user.teamId,
    },
  });
  const incident = await deps.incidents.get(metadata.incidentId);
  if (!incident) return;
  await deps.slack.postEphemeral({
    channel: incident.channel,
    user: user.userId,
    ...(incident.rootTs ? { threadTs: incident.rootTs } : {}),
    ...renderNotice(`🔒 Your request was not made: ${refusal.message}`),
  });
}
