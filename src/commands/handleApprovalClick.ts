import { randomBytes } from 'node:crypto';
import type { ApprovalEvent, Identity } from '../approval/ApprovalState';
import { errorMessage } from '../domain/errorMessage';
import { applyApprovalEvent } from '../approval/applyApprovalEvent';
import type { ApprovalButton } from '../render/slack/remediationIds';
import { renderNotice } from '../render/slack/renderNotice';
import { actorGroups, MEMBERSHIP_UNCHECKED } from './actorGroups';
import { carryOutApprovalEffects } from './carryOutApprovalEffects';
import { servedTeam } from './servedTeam';
import type { RemediationFlowDeps } from './RemediationFlowDeps';

export interface ApprovalClick {
  button: ApprovalButton;
  /** The button's value: an opaque request id, unverified until the store knows it. */
  requestId: string;
  /** From Slack's verified payload, never from the message. */
  user: Identity;
  /** `team.id` of Slack's signed payload: the workspace the click came from. */
  team: string;
  channel: string;
  threadTs: string | null;
}

/**
 * Approve / deny / cancel on an approval message. Identity, policy and state are checked again
 * on every click; the store's compare-and-set makes a double click or two approvers at once
 * apply one at a time. Refusals are ephemeral, say why, and are audited.
 */
export async function handleApprovalClick(
  deps: RemediationFlowDeps,
  click: ApprovalClick,
): Promise<void> {
  const tell = (text: string) =>
    deps.slack.postEphemeral({
      channel: click.channel,
      user: click.user.userId,
      ...(click.threadTs ? { threadTs: click.threadTs } : {}),
      ...renderNotice(text),
    });
  try {
    await decideClick(deps, click, tell);
  } catch (err) {
    // A stored request that no longer parses (edited or corrupted in Redis), or Redis failing:
    // the clicker is told with a reference, the details go to the log under the same reference.
    const ref = randomBytes(4).toString('hex');
    deps.log.error(
      {
        ref,
        requestId: click.requestId.slice(0, 100),
        user: click.user.userId,
        err: errorMessage(err),
      },
      'approval click could not be handled',
    );
    await tell(
      `⚠️ portbot could not handle this click (ref ${ref}): the request could not be read or updated. Tell the portbot operators the ref.`,
    );
  }
}

async function decideClick(
  deps: RemediationFlowDeps,
  click: ApprovalClick,
  tell: (text: string) => Promise<void>,
): Promise<void> {
  const known = await deps.approvals.get(click.requestId);
  if (!known) {
    deps.log.warn({ user: click.user.userId }, 'approval click for an unknown request');
    await auditUnknown(deps, click);
    return tell('🔒 Unknown or expired remediation request: nothing was changed.');
  }
  const { groups, unchecked } = await actorGroups(deps, click.user.userId);
  const result = await applyApprovalEvent(
    deps.approvals,
    click.requestId,
    event(click, deps.now()),
    {
      policy: deps.policy.remediation,
      // Approvers belong to the workspace the request came from, and click from it.
      teamId: sameTeam(known.state.requester?.teamId, servedTeam(deps.policy, click.team)),
      actorGroups: groups,
      signer: deps.signer,
    },
  );
  if (result.kind === 'unknown') {
    return tell('🔒 Unknown or expired remediation request: nothing was changed.');
  }
  if (result.kind === 'refused') {
    const { audit, code } = result.refusal;
    if (unchecked && code === 'not-approver' && audit) {
      // Not known to be a non-approver: the group lookup failed. Said and audited as such.
      const detail = {
        ...audit.detail,
        code: 'membership-unchecked',
        reason: MEMBERSHIP_UNCHECKED,
      };
      await carryOutApprovalEffects(deps, result.request, [{ ...audit, detail }]);
      return tell(`⚠️ Not applied: ${MEMBERSHIP_UNCHECKED}.`);
    }
    await carryOutApprovalEffects(deps, result.request, audit ? [audit] : []);
    return tell(`🔒 Not applied: ${result.refusal.message}`);
  }
  await carryOutApprovalEffects(deps, result.request, result.effects);
  if (
    result.effects.some((e) => e.kind === 'audit' && e.type === 'remediation.execution.requeued')
  ) {
    await tell(
      '🔁 This request is already approved: its execution was queued again (it still runs at most once).',
    );
  }
}

/** The requester's team when the click came from it too; '' (matching nobody) otherwise. */
function sameTeam(requesterTeam: string | undefined, clickTeam: string): string {
  return requesterTeam !== undefined && requesterTeam === clickTeam ? clickTeam : '';
}

/** Per user and minute, the first unknown id is audited, then one record says more were dropped. */
const UNKNOWN_WINDOW_MS = 60_000;

/**
 * Forged or stale request ids are audited, but a flood of them must not grow the audit log
 * without bound: per user and minute the first is recorded as `unknown-request`, the second as
 * one `unknown-requests-suppressed` record, and the rest only reach the log.
 */
async function auditUnknown(deps: RemediationFlowDeps, click: ApprovalClick): Promise<void> {
  const minute = Math.floor(deps.now() / UNKNOWN_WINDOW_MS);
  const key = `unknown-approval-click:${click.user.teamId}:${click.user.userId}:${minute}`;
  const first = await deps.incidents.claimOnce(key, 2 * UNKNOWN_WINDOW_MS);
  const summary = !first && (await deps.incidents.claimOnce(`${key}:more`, 2 * UNKNOWN_WINDOW_MS));
  if (!first && !summary) return;
  await deps.audit({
    type: 'remediation.approval.refused',
    actor: click.user.userId,
    incidentId: null,
    host: null,
    port: null,
    detail: {
      requestId: click.requestId.slice(0, 100),
      code: first ? 'unknown-request' : 'unknown-requests-suppressed',
      teamId: click.user.teamId,
      ...(first
        ? {}
        : {
            reason:
              'more clicks on unknown request ids this minute: the rest of this minute are not audited',
            windowStart: new Date(minute * UNKNOWN_WINDOW_MS).toISOString(),
          }),
    },
  });
}

function event(click: ApprovalClick, at: number): ApprovalEvent {
  switch (click.button) {
    case 'approve':
      return { type: 'approve', by: click.user, at, acceptOutage: false };
    case 'approveOutage':
      return { type: 'approve', by: click.user, at, acceptOutage: true };
    case 'deny':
      return { type: 'deny', by: click.user, at };
    case 'cancel':
      return { type: 'cancel', by: click.user, at };
  }
}
