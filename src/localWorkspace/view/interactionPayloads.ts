import { obj, parseJson, str } from './jsonShape';

/**
 * What Slack sends portbot when someone uses the workspace: the slash command form and the
 * interactivity payloads, field for field as Slack sends them (docs/reference/slack.md), so the
 * page drives the same Bolt handlers a real workspace does.
 */
export interface Actor {
  userId: string;
  userName: string;
  teamId: string;
  teamDomain: string;
  appId: string;
}

export function slashCommandForm(
  a: Actor,
  c: {
    channelId: string;
    channelName: string;
    text: string;
    triggerId: string;
    responseUrl: string;
  },
): string {
  return new URLSearchParams({
    token: 'local-workspace',
    team_id: a.teamId,
    team_domain: a.teamDomain,
    channel_id: c.channelId,
    channel_name: c.channelName,
    user_id: a.userId,
    user_name: a.userName,
    command: '/port',
    text: c.text,
    api_app_id: a.appId,
    response_url: c.responseUrl,
    trigger_id: c.triggerId,
  }).toString();
}

export interface ClickedMessage {
  ts: string;
  threadTs: string | null;
  text: string;
  blocks: unknown[];
  ephemeral: boolean;
}

export interface Click {
  channelId: string;
  channelName: string;
  message: ClickedMessage;
  actionId: string;
  blockId: string;
  value: string;
  text: string;
  triggerId: string;
  responseUrl: string;
  nowMs: number;
}

/** A button press (block_actions), after its confirm dialog when it has one. */
export function blockActionsPayload(a: Actor, c: Click): Record<string, unknown> {
  const m = c.message;
  return {
    type: 'block_actions',
    ...common(a),
    user: { id: a.userId, username: a.userName, name: a.userName, team_id: a.teamId },
    container: {
      type: 'message',
      message_ts: m.ts,
      channel_id: c.channelId,
      is_ephemeral: m.ephemeral,
      ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    },
    channel: { id: c.channelId, name: c.channelName },
    // Slack leaves the message out of a click on an ephemeral one.
    ...(m.ephemeral
      ? {}
      : {
          message: {
            type: 'message',
            ts: m.ts,
            text: m.text,
            blocks: m.blocks,
            ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
          },
        }),
    trigger_id: c.triggerId,
    response_url: c.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: c.actionId,
        block_id: c.blockId,
        text: { type: 'plain_text', text: c.text, emoji: true },
        value: c.value,
        action_ts: (c.nowMs / 1000).toFixed(6),
      },
    ],
  };
}

/** A modal submitted: its inputs' values by block and action id, as view.state.values. */
export function viewSubmissionPayload(
  a: Actor,
  s: {
    viewId: string;
    callbackId: string;
    privateMetadata: string;
    values: Record<string, Record<string, string>>;
    triggerId: string;
  },
): Record<string, unknown> {
  const values = Object.fromEntries(
    Object.entries(s.values).map(([blockId, byAction]) => [
      blockId,
      Object.fromEntries(
        Object.entries(byAction).map(([actionId, value]) => [
          actionId,
          { type: 'plain_text_input', value },
        ]),
      ),
    ]),
  );
  return {
    type: 'view_submission',
    ...common(a),
    user: { id: a.userId, username: a.userName, name: a.userName, team_id: a.teamId },
    trigger_id: s.triggerId,
    view: {
      id: s.viewId,
      team_id: a.teamId,
      type: 'modal',
      callback_id: s.callbackId,
      private_metadata: s.privateMetadata,
      state: { values },
      hash: `${s.viewId}.hash`,
      app_id: a.appId,
    },
  };
}

function common(a: Actor) {
  return {
    api_app_id: a.appId,
    token: 'local-workspace',
    team: { id: a.teamId, domain: a.teamDomain },
    is_enterprise_install: false,
  };
}

/** The form field Slack puts an interactivity payload in. */
export function interactivityForm(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export type SubmissionAnswer =
  | { kind: 'closed' }
  | { kind: 'errors'; errors: Record<string, string> }
  | { kind: 'failed'; status: number };

/** What Slack does with the app's answer to a view_submission: close, or show the errors. */
export function readSubmissionAnswer(status: number, body: string): SubmissionAnswer {
  if (status !== 200) return { kind: 'failed', status };
  const answer = obj(parseJson(body));
  const errors = obj(answer?.errors);
  if (answer?.response_action !== 'errors' || !errors) return { kind: 'closed' };
  const shown: Record<string, string> = {};
  for (const [k, v] of Object.entries(errors)) shown[k] = str(v) ?? '';
  return { kind: 'errors', errors: shown };
}

/** The answer Slack shows the user after a slash command (its text and blocks); null for none. */
export function readCommandAnswer(body: string): { text: string; blocks: unknown[] } | null {
  const answer = obj(parseJson(body));
  if (!answer) return body.trim() === '' ? null : { text: body.slice(0, 4000), blocks: [] };
  const text = str(answer.text) ?? '';
  const blocks = Array.isArray(answer.blocks) ? (answer.blocks as unknown[]) : [];
  return text === '' && blocks.length === 0 ? null : { text, blocks };
}
