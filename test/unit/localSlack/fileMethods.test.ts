import { FILE_LIMIT } from '../../../src/localSlack/FileStore';
import { fileMethods, UPLOAD_PATH } from '../../../src/localSlack/fileMethods';
import { LocalSlackStore } from '../../../src/localSlack/LocalSlackStore';
import type { MethodHandler } from '../../../src/localSlack/MethodHandler';
import type { Params } from '../../../src/localSlack/localSlackTypes';

const ORIGIN = 'http://127.0.0.1:1';

function ctx() {
  const store = new LocalSlackStore({
    users: [{ id: 'U0ALICE', name: 'alice' }],
    channels: [
      { id: 'C0OPS', name: 'ops' },
      { id: 'C0TWO', name: 'two' },
      { id: 'C0OLD', name: 'old', isArchived: true },
      { id: 'C0OUT', name: 'out', botIsMember: false },
    ],
  });
  return { store, origin: ORIGIN };
}
type Ctx = ReturnType<typeof ctx>;

function call(c: Ctx, method: string, params: Params): Record<string, unknown> {
  const handler: MethodHandler | undefined = fileMethods[method];
  if (!handler) throw new Error(`no ${method}`);
  return handler(params, c);
}

/** getUploadURLExternal, then the bytes to its URL: what a client does before completing. */
function upload(c: Ctx, content: string, filename = 'a.txt') {
  const got = call(c, 'files.getUploadURLExternal', {
    filename,
    length: String(Buffer.byteLength(content)),
  });
  const url = String(got.upload_url);
  const token = url.slice(`${ORIGIN}${UPLOAD_PATH}`.length);
  return {
    fileId: String(got.file_id),
    token,
    answer: c.store.uploads.receive(token, Buffer.from(content)),
  };
}

describe('files.getUploadURLExternal', () => {
  it('hands out an upload URL on this server whose token is not the file id', () => {
    const c = ctx();
    const got = call(c, 'files.getUploadURLExternal', { filename: 'x.jsonl', length: '12' });
    expect(got).toMatchObject({ ok: true, file_id: 'F000000001' });
    expect(String(got.upload_url)).toMatch(/^http:\/\/127\.0\.0\.1:1\/upload\/v1\/[0-9a-f]{32}$/);
    expect(String(got.upload_url)).not.toContain('F000000001');
    expect(c.store.file('F000000001')).toMatchObject({
      filename: 'x.jsonl',
      declaredLength: 12,
      uploaded: false,
      completed: false,
    });
  });

  it.each<[Params, string]>([
    [{ length: '3' }, 'invalid_arguments'],
    [{ filename: '', length: '3' }, 'invalid_arguments'],
    [{ filename: 'a' }, 'invalid_arguments'],
    [{ filename: 'a', length: 'abc' }, 'invalid_arguments'],
    [{ filename: 'a', length: '-3' }, 'invalid_arguments'],
    [{ filename: 'a', length: '1.5' }, 'invalid_arguments'],
    [{ filename: 'a', length: '1e3' }, 'invalid_arguments'],
    [{ filename: 'a', length: '99999999999999999999' }, 'invalid_arguments'],
    [{ filename: 'a', length: '0' }, 'missing_argument'],
  ])('%j → %s, and no file', (params, error) => {
    const c = ctx();
    expect(call(c, 'files.getUploadURLExternal', params)).toEqual({ ok: false, error });
    expect(c.store.files()).toEqual([]);
  });
});

describe('the upload URL', () => {
  it('stores exactly the declared bytes once; a wrong length, a second upload or an unknown token is refused', () => {
    const c = ctx();
    const got = call(c, 'files.getUploadURLExternal', { filename: 'a.txt', length: '3' });
    const token = String(got.upload_url).split('/').pop() ?? '';
    expect(c.store.uploads.receive(token, Buffer.from('ab'))).toMatchObject({
      status: 400,
      text: 'length mismatch: files.getUploadURLExternal declared 3 bytes, received 2',
    });
    expect(c.store.uploads.receive(token, Buffer.from('abcd'))).toMatchObject({ status: 400 });
    expect(c.store.file(String(got.file_id))?.uploaded).toBe(false);
    expect(c.store.uploads.receive(token, Buffer.from('abc'))).toEqual({
      status: 200,
      text: 'OK - 3',
      fileId: got.file_id,
      bytes: 3,
    });
    expect(c.store.uploads.receive(token, Buffer.from('xyz'))).toMatchObject({
      status: 400,
      text: 'this upload URL was already used',
    });
    expect(c.store.file(String(got.file_id))?.content?.toString()).toBe('abc');
    expect(c.store.uploads.receive(String(got.file_id), Buffer.from('abc')).status).toBe(404);
  });

  it(`keeps the newest ${FILE_LIMIT} files`, () => {
    const c = ctx();
    for (let i = 0; i < FILE_LIMIT + 3; i += 1) upload(c, `file ${i}`);
    const files = c.store.files();
    expect(files).toHaveLength(FILE_LIMIT);
    expect(files[0]?.content?.toString()).toBe('file 3');
  });
});

describe('files.completeUploadExternal', () => {
  it('shares into the channel as a message carrying the file, once', () => {
    const c = ctx();
    const { fileId } = upload(c, 'hello', 'h.txt');
    const files = JSON.stringify([{ id: fileId, title: 'Hello' }]);
    const done = call(c, 'files.completeUploadExternal', {
      files,
      channel_id: 'C0OPS',
      initial_comment: 'here',
    });
    expect(done).toEqual({
      ok: true,
      files: [{ id: fileId, title: 'Hello', name: 'h.txt', size: 5, channels: ['C0OPS'] }],
    });
    expect(c.store.messages('C0OPS')).toMatchObject([
      { text: 'here', files: [{ id: fileId, title: 'Hello', name: 'h.txt', size: 5 }] },
    ]);
    // completing twice: the upload ticket is spent
    expect(call(c, 'files.completeUploadExternal', { files, channel_id: 'C0OPS' })).toEqual({
      ok: false,
      error: 'file_not_found',
    });
    expect(c.store.messages('C0OPS')).toHaveLength(1);
  });

  it('without a channel the file is completed but private: no message anywhere', () => {
    const c = ctx();
    const { fileId } = upload(c, 'x');
    expect(call(c, 'files.completeUploadExternal', { files: [{ id: fileId }] })).toMatchObject({
      ok: true,
      files: [{ id: fileId, title: 'a.txt', channels: [] }],
    });
    expect(c.store.file(fileId)).toMatchObject({ completed: true, channels: [] });
    expect(c.store.messages('C0OPS')).toEqual([]);
  });

  it.each<[string, (fileId: string) => Params, string]>([
    ['no files', () => ({ channel_id: 'C0OPS' }), 'invalid_arguments'],
    ['files not JSON', () => ({ files: '[{id:', channel_id: 'C0OPS' }), 'invalid_arguments'],
    ['an empty list', () => ({ files: '[]', channel_id: 'C0OPS' }), 'invalid_arguments'],
    ['an object, not a list', (id) => ({ files: JSON.stringify({ id }) }), 'invalid_arguments'],
    ['an entry without id', () => ({ files: '[{"title":"t"}]' }), 'invalid_arguments'],
    ['an id that is a number', () => ({ files: '[{"id":7}]' }), 'invalid_arguments'],
    [
      'a title that is not text',
      (id) => ({ files: JSON.stringify([{ id, title: 1 }]) }),
      'invalid_arguments',
    ],
    [
      'the same id twice',
      (id) => ({ files: JSON.stringify([{ id }, { id }]) }),
      'invalid_arguments',
    ],
    ['an unknown id', () => ({ files: '[{"id":"F999999999"}]' }), 'file_not_found'],
    [
      'an unknown channel',
      (id) => ({ files: JSON.stringify([{ id }]), channel_id: 'C0NONE' }),
      'invalid_channel',
    ],
    [
      'an archived channel',
      (id) => ({ files: JSON.stringify([{ id }]), channel_id: 'C0OLD' }),
      'is_archived',
    ],
    [
      'a channel without the bot',
      (id) => ({ files: JSON.stringify([{ id }]), channel_id: 'C0OUT' }),
      'not_in_channel',
    ],
    [
      'thread_ts with two channels',
      (id) => ({ files: JSON.stringify([{ id }]), channels: 'C0OPS,C0TWO', thread_ts: '1.000001' }),
      'invalid_arguments',
    ],
  ])('%s → %s, nothing completed or posted', (_what, params, error) => {
    const c = ctx();
    const { fileId } = upload(c, 'abc');
    expect(call(c, 'files.completeUploadExternal', params(fileId))).toEqual({ ok: false, error });
    expect(c.store.file(fileId)).toMatchObject({ uploaded: true, completed: false, channels: [] });
    expect(c.store.messages('C0OPS')).toEqual([]);
  });

  it('a file whose bytes never arrived (or arrived with the wrong length) is not found', () => {
    const c = ctx();
    const got = call(c, 'files.getUploadURLExternal', { filename: 'a', length: '3' });
    const token = String(got.upload_url).split('/').pop() ?? '';
    c.store.uploads.receive(token, Buffer.from('toolong'));
    const files = JSON.stringify([{ id: got.file_id }]);
    expect(call(c, 'files.completeUploadExternal', { files, channel_id: 'C0OPS' })).toEqual({
      ok: false,
      error: 'file_not_found',
    });
  });

  it('one bad file in a list completes none of them', () => {
    const c = ctx();
    const a = upload(c, 'a');
    const files = JSON.stringify([{ id: a.fileId }, { id: 'F999999999' }]);
    expect(call(c, 'files.completeUploadExternal', { files, channel_id: 'C0OPS' })).toMatchObject({
      error: 'file_not_found',
    });
    expect(c.store.file(a.fileId)?.completed).toBe(false);
  });
});
