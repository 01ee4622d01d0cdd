import type { StoredMessage } from '../../src/localSlack/localSlackTypes';
import { REASON_ACTION_ID, REASON_BLOCK_ID } from '../../src/render/slack/remediationIds';
import type { TestSlack } from './localSlack/startTestSlack';
import type { SlackTransport } from './slackTransport';

/**
 * Plays the Slack client against a real `portbot serve`: interactivity payloads (button clicks,
 * modal submissions) exactly as Slack sends them, signed over HTTP or as Socket Mode envelopes
 * (the transport), and reads what portbot posted back from the local Slack.
 */
export class SlackFlowDriver {
  constructor(
    private readonly o: {
      standIn: TestSlack;
      transport: SlackTransport;
      team: string;
      channel: string;
    },
  ) {}

  async interact(payload: Record<string, unknown>): Promise<number> {
    const answer = await this.o.transport.interact({
      api_app_id: 'A0PORTBOT',
      token: 'x',
      team: { id: this.o.team, domain: 'portbot-local' },
      ...payload,
    });
    return answer.status;
  }

  click(user: string, message: StoredMessage, actionId: string, value: string) {
    return this.interact({
      type: 'block_actions',
      user: { id: user, team_id: this.o.team, username: user.toLowerCase() },
      channel: { id: this.o.channel, name: 'alerts' },
      container: { type: 'message', message_ts: message.ts, channel_id: this.o.channel },
      message: {
        ts: message.ts,
        text: message.text,
        ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      },
      trigger_id: `${Date.now()}.${Math.random()}.trigger`,
      response_url: 'http://127.0.0.1:9/unused',
      actions: [
        {
          type: 'button',
          action_id: actionId,
          block_id: 'b',
          value,
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    });
  }

  /** Presses the diagnosis's `kind` button as `user`, submits the modal it opened with `reason`. */
  async request(
    user: string,
    root: StoredMessage,
    kind: string,
    reason: string,
  ): Promise<StoredMessage> {
    const { standIn } = this.o;
    const button = buttons(root).find((b) => b.action_id === `portbot:action:${kind}`);
    if (!button) throw new Error(`no ${kind} button on the diagnosis`);
    const opened = standIn.calls('views.open').length;
    if ((await this.click(user, root, button.action_id, button.value)) !== 200) {
      throw new Error('the button click was not accepted');
    }
    const call = await standIn.waitFor(() => standIn.calls('views.open')[opened], 30_000);
    const view = (
      typeof call.params.view === 'string' ? JSON.parse(call.params.view) : call.params.view
    ) as { callback_id: string; private_metadata: string };
    if (view.callback_id !== 'portbot:remediation:request')
      throw new Error('not the request modal');
    const before = this.approvalMessages(root, kind).length;
    const status = await this.interact({
      type: 'view_submission',
      user: { id: user, team_id: this.o.team },
      view: {
        id: 'V0MODAL',
        type: 'modal',
        callback_id: view.callback_id,
        private_metadata: view.private_metadata,
        state: {
          values: {
            [REASON_BLOCK_ID]: { [REASON_ACTION_ID]: { type: 'plain_text_input', value: reason } },
          },
        },
        hash: 'h',
      },
    });
    if (status !== 200) throw new Error(`the modal submission answered ${status}`);
    return standIn.waitFor(() => this.approvalMessages(root, kind)[before], 30_000);
  }

  approvalMessages(root: StoredMessage, kind: string): StoredMessage[] {
    return this.o.standIn
      .thread(this.o.channel, root.ts)
      .replies.filter((m) => m.text.startsWith(`Remediation ${kind}`));
  }

  /** The approval message once its blocks contain `text` (it is updated in place). */
  messageWith(message: StoredMessage, text: string, timeoutMs = 10_000): Promise<StoredMessage> {
    return this.o.standIn.waitFor(() => {
      const m = this.o.standIn.message(this.o.channel, message.ts);
      return m && JSON.stringify(m.blocks).includes(text) ? m : undefined;
    }, timeoutMs);
  }

  ephemeralsFor(user: string): string[] {
    return this.o.standIn
      .ephemerals(this.o.channel)
      .filter((e) => e.user === user)
      .map((e) => e.text);
  }
}

export function buttons(m: StoredMessage): { action_id: string; value: string }[] {
  return (
    JSON.stringify(m.blocks ?? [])
      .match(/"action_id":"[^"]+","value":"(?:[^"\\]|\\.)*"/g)
      ?.map((s) => JSON.parse(`{${s}}`) as { action_id: string; value: string }) ?? []
  );
}

export const requestIdOf = (m: StoredMessage): string =>
  buttons(m).find((b) => b.action_id.startsWith('portbot:approval:approve'))?.value ?? '';
