import { request } from 'node:http';
import { App, SocketModeReceiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { LOCAL_SLACK_TOKEN } from '../../../src/localSlack/LocalSlackStore';
import { SOCKET_ACK_DEADLINE_MS } from '../../support/localSlack/SocketModeStandIn';
import {
  startTestSlack,
  TEST_APP_TOKEN,
  type TestSlack,
} from '../../support/localSlack/startTestSlack';
import { slashCommandBody } from '../../support/signSlackRequest';
import { quietLogger } from './quietLogger';

/**
 * The Socket Mode stand-in against Bolt's own Socket Mode client: what Slack checks
 * (app-level token, one-time ticket), hello, envelopes and acks, missing acks, the retry of an
 * unacked event, and `disconnect` (refresh_requested) making the client reconnect.
 */
const C = 'C0ALERTS';
const MUTE_TOKEN = 'xapp-1-A0MUTE-1-never-acks';
let standIn: TestSlack;
let app: App;

const slashPayload = (text: string) =>
  Object.fromEntries(new URLSearchParams(slashCommandBody({ text, channel_id: C })));

beforeAll(async () => {
  standIn = await startTestSlack({
    channels: [{ id: C, name: 'alerts' }],
    appTokens: [TEST_APP_TOKEN, MUTE_TOKEN],
  });
  app = new App({
    token: LOCAL_SLACK_TOKEN,
    appToken: TEST_APP_TOKEN,
    socketMode: true,
    logger: quietLogger(),
    clientOptions: { slackApiUrl: standIn.url, retryConfig: { retries: 0 } },
  });
  app.command('/port', async ({ ack, command }) => {
    await ack({ response_type: 'ephemeral', text: `checking ${command.text}` });
  });
  // Acks only after Slack's deadline has passed.
  app.command('/slow', async ({ ack }) => {
    await new Promise((resolve) => setTimeout(resolve, SOCKET_ACK_DEADLINE_MS + 500));
    await ack({ text: 'too late' });
  });
  app.action('press', async ({ ack }) => {
    await ack();
  });
  app.view('modal', async ({ ack }) => {
    await ack({ response_action: 'errors', errors: { reason: 'say why' } });
  });
  app.event('app_mention', async ({ event, client }) => {
    await client.chat.postMessage({ channel: event.channel, text: 'mentioned' });
  });
  await app.start();
}, 30_000);

afterAll(async () => {
  await app.stop();
  await standIn.socketMode.waitForClosed(TEST_APP_TOKEN);
  await standIn.close();
});

describe('apps.connections.open', () => {
  it('answers a ws:// URL for an app-level token and refuses other tokens as Slack does', async () => {
    const open = (token?: string) =>
      new WebClient(token, { slackApiUrl: standIn.url, retryConfig: { retries: 0 } }).apiCall(
        'apps.connections.open',
      );
    expect(await open(TEST_APP_TOKEN)).toMatchObject({
      ok: true,
      url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/) as unknown,
    });
    await expect(open(LOCAL_SLACK_TOKEN)).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });
    await expect(open('xapp-1-A0OTHER-1-unknown')).rejects.toMatchObject({
      data: { error: 'invalid_auth' },
    });
    await expect(open()).rejects.toMatchObject({ data: { error: 'not_authed' } });
    // …and an app-level token is no bot token.
    await expect(
      new WebClient(TEST_APP_TOKEN, {
        slackApiUrl: standIn.url,
        retryConfig: { retries: 0 },
      }).chat.postMessage({ channel: C, text: 'x' }),
    ).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
  });

  it('refuses a WebSocket with an unknown or already used ticket', async () => {
    const upgrade = (url: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(url.replace(/^ws:/, 'http:'), {
          headers: {
            connection: 'Upgrade',
            upgrade: 'websocket',
            'sec-websocket-version': '13',
            'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          },
        });
        req.on('response', (res) => resolve(res.statusCode ?? 0));
        req.on('upgrade', (res, socket) => {
          socket.destroy();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    const used = standIn.calls('apps.connections.open').find((c) => c.ok)?.response.url;
    expect(typeof used).toBe('string');
    expect(await upgrade(String(used))).toBe(401);
    expect(await upgrade(`${standIn.socketMode.origin}/link/?ticket=made-up`)).toBe(401);
  });
});

describe('envelopes and acks', () => {
  it('delivers a slash command, a button, a modal submission and an event; each is acked with its payload', async () => {
    expect(standIn.socketMode.openConnections(TEST_APP_TOKEN)).toHaveLength(1);
    const command = await standIn.socketMode.deliver(
      TEST_APP_TOKEN,
      'slash_commands',
      slashPayload('check lb-01 80'),
    );
    expect(command).toMatchObject({
      missing: false,
      late: false,
      ackPayload: { response_type: 'ephemeral', text: 'checking check lb-01 80' },
    });
    const button = await standIn.socketMode.deliver(TEST_APP_TOKEN, 'interactive', {
      type: 'block_actions',
      team: { id: 'T0PORTBOT' },
      user: { id: 'U0ALICE' },
      channel: { id: C },
      actions: [{ type: 'button', action_id: 'press', block_id: 'b', value: 'v' }],
      trigger_id: '1.2.trigger',
    });
    expect(button).toMatchObject({ missing: false, ackPayload: {} });
    const modal = await standIn.socketMode.deliver(TEST_APP_TOKEN, 'interactive', {
      type: 'view_submission',
      team: { id: 'T0PORTBOT' },
      user: { id: 'U0ALICE' },
      view: { id: 'V1', callback_id: 'modal', state: { values: {} } },
    });
    expect(modal.ackPayload).toEqual({ response_action: 'errors', errors: { reason: 'say why' } });
    const event = await standIn.socketMode.deliver(TEST_APP_TOKEN, 'events_api', {
      team_id: 'T0PORTBOT',
      api_app_id: 'A0PORTBOT',
      type: 'event_callback',
      event_id: 'Ev1',
      event_time: 1,
      event: {
        type: 'app_mention',
        user: 'U0ALICE',
        text: '<@U0PORTBOT> hi',
        channel: C,
        ts: '1.2',
      },
    });
    expect(event).toMatchObject({ missing: false, connections: [1] });
    const posted = await standIn.waitFor(() => standIn.messages(C)[0], 5000);
    expect(posted.text).toBe('mentioned');
    expect(standIn.socketMode.strayAcks()).toEqual([]);
  });

  it('records an ack that came after the deadline as late', async () => {
    const sent = await standIn.socketMode.deliver(TEST_APP_TOKEN, 'slash_commands', {
      ...slashPayload('x'),
      command: '/slow',
    });
    expect(sent).toMatchObject({ missing: true, late: false });
    const acked = await standIn.socketMode.acked(sent.envelopeId, 10_000);
    expect(acked).toMatchObject({ missing: true, late: true, ackPayload: { text: 'too late' } });
    expect(acked?.ackedAfterMs).toBeGreaterThan(SOCKET_ACK_DEADLINE_MS);
  }, 20_000);

  it('records a missing ack; an unacked event is sent once more with retry_attempt 1', async () => {
    // A receiver with no app behind it never acks.
    const mute = new SocketModeReceiver({
      appToken: MUTE_TOKEN,
      logger: quietLogger(),
      installerOptions: { clientOptions: { slackApiUrl: standIn.url } },
    });
    const seen: { type: string; retry_num?: number }[] = [];
    mute.client.on('slack_event', (e: { type: string; retry_num?: number }) =>
      seen.push({ type: e.type, ...(e.retry_num !== undefined ? { retry_num: e.retry_num } : {}) }),
    );
    await mute.start();
    try {
      const [command, event] = await Promise.all([
        standIn.socketMode.deliver(MUTE_TOKEN, 'slash_commands', slashPayload('help')),
        standIn.socketMode.deliver(MUTE_TOKEN, 'events_api', {
          type: 'event_callback',
          event_id: 'Ev2',
          event: { type: 'app_mention', channel: C, ts: '1.3' },
        }),
      ]);
      expect(command).toMatchObject({ missing: true, late: false });
      expect(command.connections).toHaveLength(1);
      expect(command.ackedAfterMs).toBeUndefined();
      expect(event).toMatchObject({ missing: true });
      expect(event.connections).toHaveLength(2);
      expect(seen).toEqual([
        { type: 'slash_commands' },
        { type: 'events_api', retry_num: 0 },
        { type: 'events_api', retry_num: 1 },
      ]);
    } finally {
      await mute.stop();
    }
  }, 20_000);
});

describe('disconnect (refresh_requested)', () => {
  it('makes the client reconnect with a new ticket; envelopes then go over the new socket', async () => {
    const before = standIn.socketMode.connections(TEST_APP_TOKEN);
    const opens = standIn.calls('apps.connections.open').length;
    expect(standIn.socketMode.requestRefresh(TEST_APP_TOKEN)).toBe(1);
    await standIn.socketMode.waitForConnections(TEST_APP_TOKEN, before.length + 1);
    const [old, fresh] = standIn.socketMode.connections(TEST_APP_TOKEN).slice(-2);
    expect(old?.closedAt).toBeDefined();
    expect(standIn.socketMode.openConnections(TEST_APP_TOKEN).map((c) => c.id)).toEqual([
      fresh?.id,
    ]);
    expect(standIn.calls('apps.connections.open').length).toBe(opens + 1);
    const command = await standIn.socketMode.deliver(
      TEST_APP_TOKEN,
      'slash_commands',
      slashPayload('status'),
    );
    expect(command).toMatchObject({ missing: false, connections: [fresh?.id] });
    expect(command.ackPayload?.text).toBe('checking status');
  }, 30_000);
});
