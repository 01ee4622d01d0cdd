import {
  blockActionsPayload,
  interactivityForm,
  readCommandAnswer,
  readSubmissionAnswer,
  slashCommandForm,
  viewSubmissionPayload,
  type Actor,
} from '../../../src/localWorkspace/view/interactionPayloads';

const actor: Actor = {
  userId: 'U0ALICE',
  userName: 'alice',
  teamId: 'T0PORTBOT',
  teamDomain: 'portbot-local',
  appId: 'A0PORTBOT',
};

describe('what the page sends, as Slack sends it', () => {
  it('a slash command is the form Slack posts, every field once', () => {
    const form = new URLSearchParams(
      slashCommandForm(actor, {
        channelId: 'C0ALERTS',
        channelName: 'alerts',
        text: 'check lb-03 80 & more',
        triggerId: 't1',
        responseUrl: 'http://127.0.0.1:1/response-url/U0ALICE',
      }),
    );
    expect([...form.keys()].sort()).toEqual(
      [
        'api_app_id',
        'channel_id',
        'channel_name',
        'command',
        'response_url',
        'team_domain',
        'team_id',
        'text',
        'token',
        'trigger_id',
        'user_id',
        'user_name',
      ].sort(),
    );
    expect(form.get('command')).toBe('/port');
    expect(form.get('text')).toBe('check lb-03 80 & more');
    expect(form.get('user_id')).toBe('U0ALICE');
  });

  it('a click carries the message, its thread, the trigger and the one action', () => {
    const payload = blockActionsPayload(actor, {
      channelId: 'C0ALERTS',
      channelName: 'alerts',
      message: { ts: '2.000001', threadTs: '1.000001', text: 't', blocks: [], ephemeral: false },
      actionId: 'portbot:approval:approve',
      blockId: 'b5',
      value: 'req-1',
      text: 'Approve',
      triggerId: 'trig',
      responseUrl: 'http://127.0.0.1:1/r',
      nowMs: 1_765_000_000_123,
    });
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0ALICE', team_id: 'T0PORTBOT' },
      team: { id: 'T0PORTBOT' },
      channel: { id: 'C0ALERTS' },
      container: { type: 'message', message_ts: '2.000001', thread_ts: '1.000001' },
      message: { ts: '2.000001', thread_ts: '1.000001' },
      trigger_id: 'trig',
      actions: [
        {
          type: 'button',
          action_id: 'portbot:approval:approve',
          block_id: 'b5',
          value: 'req-1',
          action_ts: '1765000000.123000',
        },
      ],
    });
    const form = new URLSearchParams(interactivityForm(payload));
    expect(JSON.parse(form.get('payload') ?? '')).toEqual(payload);
  });

  it('a click on an ephemeral message has no message, as in Slack', () => {
    const payload = blockActionsPayload(actor, {
      channelId: 'C0ALERTS',
      channelName: 'alerts',
      message: { ts: '2.000001', threadTs: null, text: 't', blocks: [], ephemeral: true },
      actionId: 'a',
      blockId: 'b',
      value: '',
      text: 'x',
      triggerId: 't',
      responseUrl: 'r',
      nowMs: 0,
    });
    expect(payload).not.toHaveProperty('message');
    expect(payload.container).toMatchObject({ is_ephemeral: true });
  });

  it('a submission carries the view id, callback, private_metadata and the typed values', () => {
    const payload = viewSubmissionPayload(actor, {
      viewId: 'V1',
      callbackId: 'portbot:remediation:request',
      privateMetadata: '{"incidentId":"CHK-1"}',
      values: { reason: { reason_input: 'rogue python' } },
      triggerId: 't',
    });
    expect(payload).toMatchObject({
      type: 'view_submission',
      view: {
        id: 'V1',
        callback_id: 'portbot:remediation:request',
        private_metadata: '{"incidentId":"CHK-1"}',
        state: {
          values: { reason: { reason_input: { type: 'plain_text_input', value: 'rogue python' } } },
        },
      },
    });
  });
});

describe("what the page does with Bolt's answer", () => {
  it.each([
    [200, '', { kind: 'closed' }],
    [200, '{}', { kind: 'closed' }],
    [200, '{"response_action":"clear"}', { kind: 'closed' }],
    [
      200,
      '{"response_action":"errors","errors":{"reason":"say why"}}',
      { kind: 'errors', errors: { reason: 'say why' } },
    ],
    [401, '', { kind: 'failed', status: 401 }],
  ])('submission answered %i %j', (status, body, expected) => {
    expect(readSubmissionAnswer(status, body)).toEqual(expected);
  });

  it.each([
    ['', null],
    ['{"response_type":"ephemeral","text":"hi"}', { text: 'hi', blocks: [] }],
    ['{"text":"","blocks":[{"type":"divider"}]}', { text: '', blocks: [{ type: 'divider' }] }],
    ['plain words', { text: 'plain words', blocks: [] }],
  ])('command answered %j', (body, expected) => {
    expect(readCommandAnswer(body)).toEqual(expected);
  });
});
