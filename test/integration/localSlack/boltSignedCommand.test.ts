import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { startLocalSlack, type LocalSlack } from '../../../src/localSlack/startLocalSlack';
import { LOCAL_SLACK_TOKEN } from '../../../src/localSlack/LocalSlackStore';
import { signSlackRequest, slashCommandBody } from '../../support/signSlackRequest';
import { quietLogger } from './quietLogger';

const SECRET = 'test-signing-secret';
const C = 'C0ALERTS';
let standIn: LocalSlack;
let app: App;
let eventsUrl: string;

beforeAll(async () => {
  standIn = await startLocalSlack({ channels: [{ id: C, name: 'alerts' }] });
  app = new App({
    token: LOCAL_SLACK_TOKEN,
    signingSecret: SECRET,
    logger: quietLogger(),
    clientOptions: { slackApiUrl: standIn.url, retryConfig: { retries: 0 } },
  });
  app.command('/port', async ({ ack, command, client, respond }) => {
    await ack();
    await client.chat.postMessage({
      channel: command.channel_id,
      text: `diagnosing ${command.text}`,
    });
    await respond({ response_type: 'ephemeral', text: 'queued' });
  });
  const server = (await app.start(0)) as Server;
  eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});
afterAll(async () => {
  await app.stop();
  await standIn.close();
});
afterEach(() => standIn.reset());

function post(body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(eventsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
}

describe('signed slash commands through Bolt into the stand-in', () => {
  it('a correctly signed /port command is acked and posts through the stand-in', async () => {
    const body = slashCommandBody({
      text: 'check lb-01 80',
      channel_id: C,
      response_url: standIn.responseUrl('cmd-1'),
    });
    const res = await post(body, { ...signSlackRequest(SECRET, body) });
    expect(res.status).toBe(200);
    const posted = await standIn.waitFor(() => standIn.messages(C)[0], 3000);
    expect(posted.text).toBe('diagnosing check lb-01 80');
    const responded = await standIn.waitFor(() => standIn.calls('response_url')[0], 3000);
    expect(responded.params).toMatchObject({
      response_url_id: 'cmd-1',
      text: 'queued',
      response_type: 'ephemeral',
    });
    // Bolt verified its token with auth.test against the stand-in (no reset has run yet).
    expect(standIn.calls('auth.test')).toEqual([expect.objectContaining({ ok: true })]);
  });

  it.each([
    ['a forged signature', (body: string) => signSlackRequest('wrong-secret', body)],
    [
      'a stale timestamp (> 5 min)',
      (body: string) => signSlackRequest(SECRET, body, Math.floor(Date.now() / 1000) - 301),
    ],
    [
      'a body changed after signing',
      (body: string) => signSlackRequest(SECRET, body.replace('80', '81')),
    ],
  ])('%s is refused with 401 and posts nothing', async (_name, sign) => {
    const body = slashCommandBody({
      text: 'check lb-01 80',
      channel_id: C,
      response_url: standIn.responseUrl(),
    });
    const res = await post(body, { ...sign(body) });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(standIn.calls('chat.postMessage')).toHaveLength(0);
    expect(standIn.calls('response_url')).toHaveLength(0);
  });
});
