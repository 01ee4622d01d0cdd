import type { App } from '@slack/bolt';
import type { Identity } from '../approval/ApprovalState';
import { checkReason } from '../approval/checkReason';
import { handleApprovalClick } from '../commands/handleApprovalClick';
import { handleRemediationButton } from '../commands/handleRemediationButton';
import { handleRequestSubmission } from '../commands/handleRequestSubmission';
import type { RemediationFlowDeps } from '../commands/RemediationFlowDeps';
import { ACTION_ID_PREFIX } from '../render/slack/actionButtons';
import {
  APPROVAL_ACTION_IDS,
  REASON_ACTION_ID,
  REASON_BLOCK_ID,
  REQUEST_MODAL_CALLBACK_ID,
  type ApprovalButton,
  APPROVAL_ACTION_PREFIX,
} from '../render/slack/remediationIds';
import { renderNotice } from '../render/slack/renderNotice';
import { RemediationButtonRefSchema } from './RemediationButtonRefSchema';
import { RequestModalMetadataSchema } from './RequestModalMetadataSchema';

const BUTTONS = Object.entries(APPROVAL_ACTION_IDS) as [ApprovalButton, string][];

/**
 * The remediation flow on Bolt: a diagnosis button opens the request modal, its submission posts
 * the approval message, the approval buttons drive the state machine. Transport only: ack at
 * once, take identity from the verified payload, hand typed values to src/commands.
 */
export function registerRemediationFlow(app: App, deps: RemediationFlowDeps): void {
  app.action(new RegExp(`^${ACTION_ID_PREFIX}`), async ({ ack, body, action }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.channel || action.type !== 'button') return;
    const user = identity(body);
    const ref = RemediationButtonRefSchema.safeParse(parseJson(action.value ?? ''));
    const threadTs = threadOf(body.message);
    if (!ref.success) {
      deps.log.warn({ user: user.userId }, 'malformed remediation button value');
      await deps.slack.postEphemeral({
        channel: body.channel.id,
        user: user.userId,
        ...renderNotice('🔒 This button is not one portbot made: nothing was run.'),
      });
      return;
    }
    await guarded(deps, 'remediation button failed', () =>
      handleRemediationButton(deps, {
        ...ref.data,
        user,
        triggerId: body.trigger_id,
        channel: body.channel?.id ?? '',
        threadTs,
      }),
    );
  });

  app.view(REQUEST_MODAL_CALLBACK_ID, async ({ ack, body, view }) => {
    const metadata = RequestModalMetadataSchema.safeParse(parseJson(view.private_metadata));
    const reason = checkReason(view.state.values[REASON_BLOCK_ID]?.[REASON_ACTION_ID]?.value ?? '');
    if (!reason.ok) {
      // The modal stays open with the error under the reason field; nothing is stored.
      await ack({ response_action: 'errors', errors: { [REASON_BLOCK_ID]: reason.message } });
      return;
    }
    if (!metadata.success) {
      // Not a form portbot wrote: say so in the modal, store and probe nothing.
      deps.log.warn({ user: body.user.id }, 'malformed remediation modal metadata');
      await ack({
        response_action: 'errors',
        errors: {
          [REASON_BLOCK_ID]:
            'This form was not made by portbot (its metadata is unreadable): nothing was requested. Close it and press the button on the diagnosis again.',
        },
      });
      return;
    }
    await ack();
    await guarded(deps, 'remediation request failed', () =>
      handleRequestSubmission(deps, {
        metadata: metadata.data,
        reason: reason.reason,
        user: identity(body),
        team: body.team?.id ?? '',
      }),
    );
  });

  app.action(new RegExp(`^${APPROVAL_ACTION_PREFIX}`), async ({ ack, body, action }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.channel || !('action_id' in action)) return;
    if (action.type !== 'button') return;
    const button = BUTTONS.find(([, id]) => id === action.action_id)?.[0];
    if (!button) return;
    const channel = body.channel.id;
    await guarded(deps, 'approval click failed', () =>
      handleApprovalClick(deps, {
        button,
        requestId: action.value ?? '',
        user: identity(body),
        team: body.team?.id ?? '',
        channel,
        threadTs: threadOf(body.message),
      }),
    );
  });
}

/** The immutable Slack identity from the verified payload (user id + its workspace). */
function identity(body: {
  user: { id: string; team_id?: string };
  team: { id: string } | null;
}): Identity {
  return { userId: body.user.id, teamId: body.user.team_id ?? body.team?.id ?? '' };
}

/** The thread a clicked message sits in (its own ts when it is the thread's root). */
function threadOf(message: Record<string, unknown> | undefined): string | null {
  const ts = message?.thread_ts ?? message?.ts;
  return typeof ts === 'string' ? ts : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function guarded(
  deps: RemediationFlowDeps,
  msg: string,
  run: () => Promise<void>,
): Promise<void> {
  try {
    await run();
  } catch (err) {
    deps.log.error({ err: String(err) }, msg);
  }
}
