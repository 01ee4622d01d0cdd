import type { FileRef, LocalSlackChannel } from '../../../src/localSlack/localSlackTypes';
import type { MethodHandler } from '../../../src/localSlack/MethodHandler';
import { apiError, str } from '../../../src/localSlack/MethodHandler';
import type { LocalSlackRoute } from '../../../src/localSlack/startLocalSlack';
import type { FileStore, StoredFile } from './FileStore';
import { parseMultipartFile } from './parseMultipartFile';

/** Path prefix of the upload URLs handed out; POSTs under it reach `uploadRoute`. */
const UPLOAD_PATH = '/upload/v1/';

const getUploadURLExternal =
  (files: FileStore): MethodHandler =>
  (p, { origin }) => {
    const filename = str(p.filename);
    if (!filename) return apiError('invalid_arguments');
    const length = Number(str(p.length));
    // Slack: "missing_argument ... Typically only occurs when the length provided is 0."
    if (!Number.isInteger(length) || length <= 0) return apiError('missing_argument');
    const file = files.create(filename, length);
    return { ok: true, upload_url: `${origin}${UPLOAD_PATH}${file.id}`, file_id: file.id };
  };

function parseFileList(v: unknown): Array<{ id: string; title?: string }> | undefined {
  let list: unknown = v;
  if (typeof v === 'string') {
    try {
      list = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const out: Array<{ id: string; title?: string }> = [];
  for (const item of list as unknown[]) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { id, title } = item as { id?: unknown; title?: unknown };
    if (typeof id !== 'string') return undefined;
    out.push(typeof title === 'string' ? { id, title } : { id });
  }
  return out;
}

function fileRef(f: StoredFile): FileRef {
  return { id: f.id, title: f.title ?? f.filename, name: f.filename, size: f.content?.length ?? 0 };
}

const completeUploadExternal =
  (files: FileStore): MethodHandler =>
  (p, { store }) => {
    const requested = parseFileList(p.files);
    if (!requested) return apiError('invalid_arguments');
    const records: StoredFile[] = [];
    for (const r of requested) {
      const f = files.record(r.id);
      if (!f || !f.uploaded) return apiError('file_not_found');
      records.push(f);
    }
    const channelIds = (str(p.channel_id) ?? str(p.channels) ?? '').split(',').filter(Boolean);
    const channels: LocalSlackChannel[] = [];
    for (const id of channelIds) {
      const c = store.channel(id);
      if (!c) return apiError('invalid_channel');
      channels.push(c);
    }
    requested.forEach((r, i) => {
      const f = records[i];
      if (!f) return;
      if (r.title !== undefined) f.title = r.title;
      f.completed = true;
      f.channels = channels.map((c) => c.id);
    });
    const refs = records.map(fileRef);
    const threadTs = str(p.thread_ts);
    const comment = str(p.initial_comment) ?? '';
    // Sharing a file posts a message carrying it, in the thread when thread_ts is given.
    for (const c of channels) {
      store.postMessage(
        c.id,
        { text: comment },
        { files: refs, ...(threadTs ? { thread_ts: threadTs } : {}) },
      );
    }
    return { ok: true, files: refs.map((r) => ({ ...r, channels: channels.map((c) => c.id) })) };
  };

/** The two-step upload (portbot does not upload files; tests of the Slack model do). */
export function fileMethods(files: FileStore): Record<string, MethodHandler> {
  return {
    'files.getUploadURLExternal': getUploadURLExternal(files),
    'files.completeUploadExternal': completeUploadExternal(files),
  };
}

/** Where getUploadURLExternal's URLs lead: stores the multipart file part, as Slack does. */
export function uploadRoute(files: FileStore): LocalSlackRoute {
  return {
    prefix: UPLOAD_PATH,
    handle: ({ store }, fileId, contentType, body) => {
      const file = files.record(fileId);
      const content = parseMultipartFile(contentType, body);
      const status = file ? 200 : 404;
      const text = file ? `OK - ${content.length}` : 'file not found';
      if (file) {
        file.content = content;
        file.uploaded = true;
      }
      store.record({
        method: 'upload',
        params: { file_id: fileId, bytes: content.length },
        at: Date.now(),
        status,
        ok: status === 200,
        response: { text },
      });
      return { status, text };
    },
  };
}
