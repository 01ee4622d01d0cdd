import type { Policy } from '../domain/Policy';
import type { SlackMessage } from '../render/slack/blockKitTypes';
import { renderNotice } from '../render/slack/renderNotice';

/**
 * A remediation button was pressed. Remediation (approval by a second person, re-check, act)
 * is not built yet, so nothing runs: the presser gets a clearly labelled explanation.
 */
export function handleActionButton(
  policy: Policy,
  input: { actionId: string; value: string },
): SlackMessage {
  const kind = input.actionId.replace(/^portbot:action:/, '').replace(/:\d+$/, '');
  const target = describeTarget(input.value);
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

function describeTarget(value: string): string {
  try {
    const v = JSON.parse(value) as { host?: unknown; port?: unknown; pid?: unknown };
    const host = typeof v.host === 'string' ? v.host : '?';
    const port = typeof v.port === 'number' ? v.port : '?';
    const pid = typeof v.pid === 'number' ? `, pid ${v.pid}` : '';
    return ` on ${host}:${port}${pid}`;
  } catch {
    return '';
  }
}
