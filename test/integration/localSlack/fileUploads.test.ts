import { ErrorCode, WebClient } from '@slack/web-api';
import { randomBytes } from 'node:crypto';
import { LOCAL_SLACK_TOKEN } from '../../../src/localSlack/LocalSlackStore';
import { startLocalSlack, type LocalSlack } from '../../../src/localSlack/startLocalSlack';
import { createWebClients } from '../../../src/slack/createWebClients';
import { WebClientFiles } from '../../../src/slack/WebClientFiles';
import { WebClientPoster } from '../../../src/slack/WebClientPoster';
import { quietLogger } from './quietLogger';

/**
 * The product's local Slack (not the test harness) serves the two-step external upload: the
 * real WebClient and portbot's own adapter drive it over HTTP, and it refuses what Slack would.
 */
const C = 'C0OPS';
let standIn: LocalSlack;
let client: WebClient;

beforeAll(async () => {
  standIn = await startLocalSlack({
    channels: [{ id: C, name: 'ops' }],
    users: [{ id: 'U0AUD', name: 'aud' }],
  });
  client = new WebClient(LOCAL_SLACK_TOKEN, {
    slackApiUrl: standIn.url,
    retryConfig: { retries: 0 },
    logger: quietLogger(),
  });
});
afterEach(() => standIn.reset());
afterAll(() => standIn.close());

async function slackError(call: Promise<unknown>): Promise<string | undefined> {
  const err = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { code?: string; data?: { error?: string } } | undefined;
  expect(err?.code).toBe(ErrorCode.PlatformError);
  return err?.data?.error;
}

const post = (url: string, body: Uint8Array | string, type = 'application/octet-stream') =>
  fetch(url, { method: 'POST', headers: { 'content-type': type }, body });

describe('local Slack file uploads over HTTP', () => {
  it("portbot's adapter uploads raw bytes, opens the DM and shares the file there", async () => {
    const { client: c, posts } = createWebClients(LOCAL_SLACK_TOKEN, {
      apiUrl: standIn.url,
      logger: quietLogger(),
    });
    const files = new WebClientFiles(c, posts);
    // binary on purpose: nothing may re-encode the bytes on the way
    const content = new Uint8Array(randomBytes(70_000));
    const dm = await new WebClientPoster(c, posts).openDm('U0AUD');
    const { fileId } = await files.uploadFile({ filename: 'export.jsonl', content });
    expect(standIn.file(fileId)).toMatchObject({ uploaded: true, completed: false });
    await files.shareFile({ fileId, title: 'The export', channel: dm, comment: 'for you' });
    const stored = standIn.file(fileId);
    expect(Buffer.from(content).equals(stored?.content ?? Buffer.alloc(0))).toBe(true);
    expect(stored).toMatchObject({ completed: true, channels: ['D0AUD'], title: 'The export' });
    expect(standIn.messages('D0AUD')).toMatchObject([
      { text: 'for you', files: [{ id: fileId, name: 'export.jsonl', size: 70_000 }] },
    ]);
    expect(standIn.calls().map((x) => [x.method, x.status])).toEqual([
      ['conversations.open', 200],
      ['files.getUploadURLExternal', 200],
      ['upload', 200],
      ['files.completeUploadExternal', 200],
    ]);
    expect(standIn.calls('upload')[0]?.params).toEqual({ file_id: fileId, bytes: 70_000 });
    // a second completion (a resend) is refused: the upload was completed once
    const again = files.shareFile({ fileId, title: 't', channel: dm, comment: '' });
    await expect(again).rejects.toMatchObject({ message: 'Slack answered file_not_found' });
    expect(standIn.messages('D0AUD')).toHaveLength(1);
  });

  it('bytes of another length than declared are refused with a non-200, and the file cannot be completed', async () => {
    const up = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 5 });
    const short = await post(up.upload_url ?? '', 'abc');
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('declared 5 bytes, received 3');
    const long = await post(up.upload_url ?? '', 'abcdefgh');
    expect(long.status).toBe(400);
    const files = [{ id: up.file_id ?? '' }] as [{ id: string }];
    expect(await slackError(client.files.completeUploadExternal({ files, channel_id: C }))).toBe(
      'file_not_found',
    );
    expect(standIn.messages(C)).toEqual([]);
    expect(standIn.calls('upload').map((x) => x.status)).toEqual([400, 400]);
  });

  it('an upload URL takes one upload; an unknown one answers 404; an empty file is refused up front', async () => {
    const answer = await client.files.getUploadURLExternal({ filename: 'b.txt', length: 1 });
    const url = answer.upload_url ?? '';
    expect((await post(url, 'x')).status).toBe(200);
    // only the URL can write the file, and only once
    expect((await post(url, 'y')).status).toBe(400);
    expect(standIn.file(answer.file_id ?? '')?.content?.toString()).toBe('x');
    const unknown = await post(`${standIn.origin}/upload/v1/${'0'.repeat(32)}`, 'x');
    expect(unknown.status).toBe(404);
    const files = new WebClientFiles(client, client);
    const empty = files.uploadFile({ filename: 'e.txt', content: new Uint8Array() });
    await expect(empty).rejects.toMatchObject({ message: 'Slack answered missing_argument' });
  });

  it("portbot's adapter turns a refused upload into an error that does not carry the URL", async () => {
    const small = await startLocalSlack({ maxBodyBytes: 1000 });
    try {
      const c = new WebClient(LOCAL_SLACK_TOKEN, {
        slackApiUrl: small.url,
        retryConfig: { retries: 0 },
        logger: quietLogger(),
      });
      const upload = new WebClientFiles(c, c).uploadFile({
        filename: 'big.jsonl',
        content: new Uint8Array(2000),
      });
      const err = (await upload.then(
        () => undefined,
        (e: unknown) => e,
      )) as Error | undefined;
      expect(err?.message).toMatch(/^the upload URL answered 413 /);
      expect(err?.message).not.toContain('/upload/v1/');
      expect(small.files()).toMatchObject([{ uploaded: false }]);
    } finally {
      await small.close();
    }
  });

  it('completeUploadExternal refuses malformed file lists and unknown channels over HTTP', async () => {
    const up = await client.files.getUploadURLExternal({ filename: 'c.txt', length: 3 });
    expect((await post(up.upload_url ?? '', 'abc', 'text/plain')).status).toBe(200);
    const id = up.file_id ?? '';
    const raw = (files: string, channel = C) =>
      client.apiCall('files.completeUploadExternal', { files, channel_id: channel });
    expect(await slackError(raw('not json'))).toBe('invalid_arguments');
    expect(await slackError(raw('[]'))).toBe('invalid_arguments');
    expect(await slackError(raw(JSON.stringify([{ title: 'no id' }])))).toBe('invalid_arguments');
    expect(await slackError(raw(JSON.stringify([{ id: 'F0NOPE' }])))).toBe('file_not_found');
    expect(await slackError(raw(JSON.stringify([{ id }]), 'C0NONE'))).toBe('invalid_channel');
    expect(standIn.file(id)).toMatchObject({ uploaded: true, completed: false });
    await expect(raw(JSON.stringify([{ id }]))).resolves.toMatchObject({ ok: true });
    expect(await slackError(raw(JSON.stringify([{ id }])))).toBe('file_not_found');
    expect(standIn.messages(C)).toHaveLength(1);
  });
});
