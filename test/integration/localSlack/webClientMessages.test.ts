import { ErrorCode, WebClient } from '@slack/web-api';
import type { WebAPIPlatformError } from '@slack/web-api';
import { startLocalSlack, type LocalSlack } from '../../../src/localSlack/startLocalSlack';
import { LOCAL_SLACK_TOKEN } from '../../../src/localSlack/LocalSlackStore';
import { quietLogger } from './quietLogger';

const C = 'C0ALERTS';
let standIn: LocalSlack;
let client: WebClient;

beforeAll(async () => {
  // Message shapes only: the rate tiers have their own tests (historyAndLimits.test.ts).
  standIn = await startLocalSlack({
    channels: [{ id: C, name: 'alerts' }],
    enforceRateLimits: false,
  });
  // No retries here: a retried call would hide a wrong answer behind a second attempt.
  client = new WebClient(LOCAL_SLACK_TOKEN, {
    slackApiUrl: standIn.url,
    retryConfig: { retries: 0 },
    logger: quietLogger(),
  });
});
afterEach(() => standIn.reset());
afterAll(() => standIn.close());

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** The Slack error code the real WebClient threw, failing the test if it did not throw one. */
async function platformError(call: Promise<unknown>): Promise<WebAPIPlatformError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ code: ErrorCode.PlatformError });
  return err as WebAPIPlatformError;
}

describe('slack stand-in messages, driven by the real WebClient', () => {
  it('posts, threads and updates, and answers "the root as it is now" and "its replies"', async () => {
    const root = await client.chat.postMessage({
      channel: C,
      text: 'diagnosing lb-01:80…',
      blocks: [section('*diagnosing* lb-01:80')],
    });
    expect(root).toMatchObject({ ok: true, channel: C, message: { text: 'diagnosing lb-01:80…' } });
    const rootTs = root.ts ?? '';
    expect(rootTs).toMatch(/^\d{10}\.\d{6}$/);

    const r1 = await client.chat.postMessage({ channel: C, thread_ts: rootTs, text: 'evidence 1' });
    // A reply to a reply lands in the root's thread, as in Slack.
    const r2 = await client.chat.postMessage({
      channel: C,
      thread_ts: r1.ts ?? '',
      text: 'evidence 2',
    });
    expect(Number(r2.ts)).toBeGreaterThan(Number(r1.ts));
    expect(Number(r1.ts)).toBeGreaterThan(Number(rootTs));

    const upd = await client.chat.update({
      channel: C,
      ts: rootTs,
      text: 'FOREIGN_LISTENER on lb-01:80',
      blocks: [section('*FOREIGN_LISTENER* pid 4242')],
    });
    expect(upd).toMatchObject({
      ok: true,
      channel: C,
      ts: rootTs,
      text: 'FOREIGN_LISTENER on lb-01:80',
    });
    // An update without blocks keeps the previous blocks (Slack's documented rule).
    await client.chat.update({ channel: C, ts: rootTs, text: 'FOREIGN_LISTENER (2 alerts)' });

    const { root: now, replies } = standIn.thread(C, rootTs);
    expect(now).toMatchObject({
      text: 'FOREIGN_LISTENER (2 alerts)',
      blocks: [section('*FOREIGN_LISTENER* pid 4242')],
      reply_count: 2,
      latest_reply: r2.ts,
      thread_ts: rootTs,
    });
    expect(now?.previousVersions.map((v) => v.text)).toEqual([
      'diagnosing lb-01:80…',
      'FOREIGN_LISTENER on lb-01:80',
    ]);
    expect(replies.map((m) => m.text)).toEqual(['evidence 1', 'evidence 2']);
    expect(replies.every((m) => m.thread_ts === rootTs)).toBe(true);
    expect(standIn.topLevelMessages(C).map((m) => m.ts)).toEqual([rootTs]);

    const posts = standIn.calls('chat.postMessage');
    expect(posts).toHaveLength(3);
    // Recorded params are decoded: form-encoded blocks come back as the array that was sent.
    expect(posts[0]?.params.blocks).toEqual([section('*diagnosing* lb-01:80')]);
    expect(posts[0]?.params).not.toHaveProperty('token');
    expect(standIn.calls('chat.update').map((c) => c.ok)).toEqual([true, true]);
  });

  it.each<[string, string, Record<string, unknown>]>([
    ['text over 40,000 chars', 'msg_too_long', { channel: C, text: 'x'.repeat(40_001) }],
    [
      '51 blocks',
      'invalid_blocks',
      { channel: C, text: 't', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) },
    ],
    [
      'section text 3001',
      'invalid_blocks',
      { channel: C, text: 't', blocks: [section('s'.repeat(3001))] },
    ],
    [
      'header 151',
      'invalid_blocks',
      {
        channel: C,
        text: 't',
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
      },
    ],
    [
      'action_id 256',
      'invalid_blocks',
      {
        channel: C,
        text: 't',
        blocks: [
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                text: { type: 'plain_text', text: 'b' },
                action_id: 'a'.repeat(256),
              },
            ],
          },
        ],
      },
    ],
    [
      'button value 2001',
      'invalid_blocks',
      {
        channel: C,
        text: 't',
        blocks: [
          {
            type: 'actions',
            elements: [
              { type: 'button', text: { type: 'plain_text', text: 'b' }, value: 'v'.repeat(2001) },
            ],
          },
        ],
      },
    ],
    [
      'button text 76',
      'invalid_blocks',
      {
        channel: C,
        text: 't',
        blocks: [
          {
            type: 'actions',
            elements: [{ type: 'button', text: { type: 'plain_text', text: 'b'.repeat(76) } }],
          },
        ],
      },
    ],
    [
      'blocks that are not JSON',
      'invalid_blocks_format',
      { channel: C, text: 't', blocks: '[{"type":' },
    ],
    ['no channel', 'channel_not_found', { text: 't' }],
    ['unknown channel', 'channel_not_found', { channel: 'C0NOPE', text: 't' }],
    ['no text and no blocks', 'no_text', { channel: C }],
  ])('chat.postMessage rejects %s with %s and stores nothing', async (_name, code, args) => {
    const err = await platformError(client.apiCall('chat.postMessage', args));
    expect(err.data.error).toBe(code);
    expect(standIn.messages(C)).toHaveLength(0);
    expect(standIn.calls('chat.postMessage')[0]).toMatchObject({ ok: false, error: code });
    if (code === 'invalid_blocks') {
      expect(err.data.response_metadata?.messages?.[0]).toMatch(
        /^\[ERROR\] .*\[json-pointer:\/blocks/,
      );
    }
  });

  it('chat.update: unknown ts → message_not_found; over-limit update leaves the message as it was', async () => {
    const err = await platformError(
      client.chat.update({ channel: C, ts: '1700000000.000001', text: 'x' }),
    );
    expect(err.data.error).toBe('message_not_found');

    const { ts = '' } = await client.chat.postMessage({ channel: C, text: 'original' });
    const tooBig = await platformError(
      client.chat.update({ channel: C, ts, text: 't', blocks: [section('s'.repeat(3001))] }),
    );
    expect(tooBig.data.error).toBe('invalid_blocks');
    expect(standIn.message(C, ts)).toMatchObject({ text: 'original', previousVersions: [] });
  });

  it('chat.postEphemeral reaches channel members only', async () => {
    standIn.addUser({ id: 'U0ALICE', name: 'alice' });
    standIn.addUser({ id: 'U0MALLORY', name: 'mallory' });
    standIn.addChannel({ id: 'C0OPS', name: 'ops', members: ['U0ALICE'] });
    const ok = await client.chat.postEphemeral({
      channel: 'C0OPS',
      user: 'U0ALICE',
      text: 'unknown host lb-9',
    });
    expect(ok.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    const err = await platformError(
      client.chat.postEphemeral({ channel: 'C0OPS', user: 'U0MALLORY', text: 'x' }),
    );
    expect(err.data.error).toBe('user_not_in_channel');
    expect(standIn.ephemerals('C0OPS')).toEqual([
      { channel: 'C0OPS', user: 'U0ALICE', message_ts: ok.message_ts, text: 'unknown host lb-9' },
    ]);
    expect(standIn.messages('C0OPS')).toHaveLength(0);
  });

  it('accepts JSON bodies with the token as a param, and posts by channel name', async () => {
    const res = await fetch(`${standIn.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        token: LOCAL_SLACK_TOKEN,
        channel: '#alerts',
        text: 'json',
        blocks: [section('j')],
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      ok: true,
      channel: C,
      message: { blocks: [section('j')] },
    });
    expect(standIn.messages(C).map((m) => m.text)).toEqual(['json']);
  });

  it('waitFor resolves when a message shows up', async () => {
    const seen = standIn.waitFor(() => standIn.messages(C).find((m) => m.text === 'later'), 2000);
    setTimeout(() => void client.chat.postMessage({ channel: C, text: 'later' }), 20);
    await expect(seen).resolves.toMatchObject({ text: 'later', channel: C });
  });
});

describe('request size', () => {
  it('answers request_too_large (413) past maxBodyBytes, and still serves small calls', async () => {
    const small = await startLocalSlack({
      channels: [{ id: C, name: 'alerts' }],
      maxBodyBytes: 200,
    });
    try {
      const post = (text: string) =>
        fetch(`${small.url}chat.postMessage`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            authorization: `Bearer ${LOCAL_SLACK_TOKEN}`,
          },
          body: JSON.stringify({ channel: C, text }),
        });
      const big = await post('x'.repeat(500));
      expect(big.status).toBe(413);
      expect(await big.json()).toEqual({ ok: false, error: 'request_too_large' });
      const ok = await post('fits');
      expect(await ok.json()).toMatchObject({ ok: true, channel: C });
      expect(small.messages(C).map((m) => m.text)).toEqual(['fits']);
    } finally {
      await small.close();
    }
  });
});
