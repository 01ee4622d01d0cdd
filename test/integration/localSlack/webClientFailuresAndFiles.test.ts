import { ErrorCode, WebClient } from '@slack/web-api';
import type { WebClientOptions } from '@slack/web-api';
import { startTestSlack, type TestSlack } from '../../support/localSlack/startTestSlack';
import { LOCAL_SLACK_TOKEN } from '../../../src/localSlack/LocalSlackStore';
import { quietLogger } from './quietLogger';

const C = 'C0ALERTS';
let standIn: TestSlack;

beforeAll(async () => {
  standIn = await startTestSlack({
    channels: [{ id: C, name: 'alerts', members: ['U0ALICE'] }],
    users: [{ id: 'U0ALICE', name: 'alice', realName: 'Alice Ops', email: 'alice@example.test' }],
    userGroups: { S0SRE: ['U0ALICE', 'U0BOB'] },
  });
});
afterEach(() => standIn.reset());
afterAll(() => standIn.close());

function clientFor(token: string | undefined, opts: WebClientOptions = {}): WebClient {
  return new WebClient(token, {
    slackApiUrl: standIn.url,
    retryConfig: { retries: 0 },
    logger: quietLogger(),
    ...opts,
  });
}

async function errorOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
}

describe('rate limits and injected failures', () => {
  it('429 then 200: the WebClient waits Retry-After, retries, and the message is delivered once', async () => {
    standIn.failNext('chat.postMessage', { status: 429, retryAfterSec: 1 });
    const client = clientFor(LOCAL_SLACK_TOKEN, {
      retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 },
    });
    const started = Date.now();
    const res = await client.chat.postMessage({ channel: C, text: 'once' });
    expect(res.ok).toBe(true);
    const calls = standIn.calls('chat.postMessage');
    expect(calls.map((c) => [c.status, c.error ?? 'ok'])).toEqual([
      [429, 'ratelimited'],
      [200, 'ok'],
    ]);
    // The retry came after the Retry-After delay, not immediately.
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(standIn.messages(C).map((m) => m.text)).toEqual(['once']);
  });

  it("answers 429 with a Retry-After header and Slack's body, for the next N calls", async () => {
    standIn.failNext('chat.update', { status: 429, retryAfterSec: 7, times: 2 });
    const post = (): Promise<Response> =>
      fetch(`${standIn.url}chat.update`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${LOCAL_SLACK_TOKEN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ channel: C, ts: '1.000001', text: 'x' }),
      });
    for (let i = 0; i < 2; i += 1) {
      const res = await post();
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(await res.json()).toEqual({ ok: false, error: 'ratelimited' });
    }
    const third = await post();
    expect(third.status).toBe(200);
    expect(await third.json()).toEqual({ ok: false, error: 'message_not_found' });
  });

  it('a client that rejects rate-limited calls sees the Retry-After value', async () => {
    standIn.failNext('chat.postMessage', { status: 429, retryAfterSec: 30 });
    const client = clientFor(LOCAL_SLACK_TOKEN, { rejectRateLimitedCalls: true });
    const err = await errorOf(client.chat.postMessage({ channel: C, text: 'x' }));
    expect(err).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 30 });
    expect(standIn.messages(C)).toHaveLength(0);
  });

  it('failNext with an error code fails one call with that code, then the method works', async () => {
    standIn.failNext('chat.postMessage', { error: 'internal_error' });
    const client = clientFor(LOCAL_SLACK_TOKEN);
    const err = await errorOf(client.chat.postMessage({ channel: C, text: 'x' }));
    expect(err).toMatchObject({ code: ErrorCode.PlatformError, data: { error: 'internal_error' } });
    await expect(client.chat.postMessage({ channel: C, text: 'y' })).resolves.toMatchObject({
      ok: true,
    });
    expect(standIn.messages(C).map((m) => m.text)).toEqual(['y']);
  });
});

describe('auth', () => {
  it.each([
    ['no token', undefined, 'not_authed'],
    ['an unknown token', 'xoxb-forged', 'invalid_auth'],
  ])('%s → %s', async (_name, token, code) => {
    const err = await errorOf(clientFor(token).auth.test());
    expect(err).toMatchObject({ code: ErrorCode.PlatformError, data: { ok: false, error: code } });
    expect(standIn.calls('auth.test')[0]).toMatchObject({ status: 200, ok: false, error: code });
  });

  it('a revoked token answers invalid_auth (or the code given), an added token works', async () => {
    standIn.addToken('xoxb-second');
    const client = clientFor('xoxb-second');
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true, user_id: 'U0PORTBOT' });
    standIn.revokeToken('xoxb-second');
    await expect(errorOf(client.auth.test())).resolves.toMatchObject({
      data: { error: 'invalid_auth' },
    });
    standIn.revokeToken('xoxb-second', 'token_revoked');
    await expect(errorOf(client.auth.test())).resolves.toMatchObject({
      data: { error: 'token_revoked' },
    });
  });
});

describe('lookups', () => {
  const client = (): WebClient => clientFor(LOCAL_SLACK_TOKEN);

  it('users.info, usergroups.users.list and conversations.info answer seeded data', async () => {
    await expect(client().users.info({ user: 'U0ALICE' })).resolves.toMatchObject({
      ok: true,
      user: {
        id: 'U0ALICE',
        name: 'alice',
        real_name: 'Alice Ops',
        profile: { email: 'alice@example.test' },
      },
    });
    await expect(client().usergroups.users.list({ usergroup: 'S0SRE' })).resolves.toMatchObject({
      ok: true,
      users: ['U0ALICE', 'U0BOB'],
    });
    await expect(client().conversations.info({ channel: C })).resolves.toMatchObject({
      ok: true,
      channel: { id: C, name: 'alerts', is_channel: true, is_private: false, is_member: true },
    });
  });

  it.each([
    ['users.info', { user: 'U0NOBODY' }, 'user_not_found'],
    ['usergroups.users.list', { usergroup: 'S0NONE' }, 'no_such_subteam'],
    ['conversations.info', { channel: 'C0NONE' }, 'channel_not_found'],
    ['chat.delete', { channel: C, ts: '1.1' }, 'message_not_found'],
  ])('%s for an unknown id → %s', async (method, args, code) => {
    await expect(errorOf(client().apiCall(method, args))).resolves.toMatchObject({
      data: { error: code },
    });
  });
});

describe('files upload v2', () => {
  it('filesUploadV2 uploads the bytes and shares them in the thread', async () => {
    const client = clientFor(LOCAL_SLACK_TOKEN);
    const root = await client.chat.postMessage({ channel: C, text: 'root' });
    const evidence = 'ss -ltnp\nLISTEN 0 511 0.0.0.0:80 users:(("python3",pid=4242,fd=3))\n';
    const res = await client.filesUploadV2({
      channel_id: C,
      thread_ts: root.ts ?? '',
      content: evidence,
      filename: 'evidence.txt',
      title: 'Evidence lb-01:80',
      initial_comment: 'full evidence',
    });
    expect(res.ok).toBe(true);
    expect(standIn.calls().map((c) => c.method)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    const [file] = standIn.files();
    expect(file?.content?.toString('utf8')).toBe(evidence);
    expect(file).toMatchObject({
      filename: 'evidence.txt',
      title: 'Evidence lb-01:80',
      declaredLength: Buffer.byteLength(evidence),
      completed: true,
      channels: [C],
    });
    const { replies } = standIn.thread(C, root.ts ?? '');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      text: 'full evidence',
      files: [{ id: file?.id, name: 'evidence.txt', size: Buffer.byteLength(evidence) }],
    });
  });

  it('completeUploadExternal refuses files never uploaded and unknown channels', async () => {
    const client = clientFor(LOCAL_SLACK_TOKEN);
    const { file_id = '' } = await client.files.getUploadURLExternal({
      filename: 'a.txt',
      length: 3,
    });
    const files = [{ id: file_id }] as [{ id: string }];
    await expect(
      errorOf(client.files.completeUploadExternal({ files, channel_id: C })),
    ).resolves.toMatchObject({
      data: { error: 'file_not_found' },
    });
    const up = await client.files.getUploadURLExternal({ filename: 'b.txt', length: 3 });
    await fetch(up.upload_url ?? '', { method: 'POST', body: 'abc' });
    const uploaded = [{ id: up.file_id ?? '' }] as [{ id: string }];
    await expect(
      errorOf(client.files.completeUploadExternal({ files: uploaded, channel_id: 'C0NONE' })),
    ).resolves.toMatchObject({ data: { error: 'invalid_channel' } });
    expect(standIn.file(up.file_id ?? '')?.content?.toString()).toBe('abc');
  });
});
