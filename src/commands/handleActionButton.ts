import type { Policy } from '../domain/Policy';
import type { SlackMessage } from '../render/slack/blockKitTypes';
import { decodeActionButtonId } from '../render/slack/actionButtons';
import { renderNotice } from '../render/slack/renderNotice';
import { parseActionButtonValue } from './ActionButtonValueSchema';

/**
 * A remediation button was pressed. Remediation (approval by a second person, re-check, act)
 * is not built yet, so nothing runs: the presser gets a clearly labelled explanation.
 */
export function handleActionButton(
  policy: Policy,
  input: { actionId: string; value: string },
): SlackMessage {
  const kind = decodeActionButtonId(input.actionId)?.kind ?? 'unknown action';
  const value = parseActionButtonValue(input.value);
  const target = value
    ? ` on ${value.host}:${value.port}${value.pid !== null ? `, pid ${value.pid}` : ''}`
    : '';
  const approvers = policy.remediation?.approvers;
  const configured =
    approvers !== undefined && approvers.users.length + approvers.groups.length > 0;
  return renderNotice(
    `🔒 Approval required: "${kind}"${target} was not run. ` +
      (configured
        ? 'Remediation with two-person approval is not available in this version of portbot yet; nothing was changed.'
        : 'No approvers are configured in the policy, so portbot stays read-only; nothing was changed.'),
  );
}
