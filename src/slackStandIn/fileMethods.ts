import type { MethodHandler } from './MethodHandler';
import { apiError, str } from './MethodHandler';
import type { FileRef, StandInChannel, StoredFile } from './standInTypes';

/** Path prefix of the upload URLs handed out; the server routes POSTs under it to `acceptUpload`. */
export const UPLOAD_PATH = '/upload/v1/';

const getUploadURLExternal: MethodHandler = (p, { store, origin }) => {
  const filename = str(p.filename);
  if (!filename) return apiError('invalid_arguments');
  const length = Number(str(p.length));
  // Slack: "missing_argument ... Typically only occurs when the length provided is 0."
  if (!Number.isInteger(length) || length <= 0) return apiError('missing_argument');
  const file = store.createFile(filename, length);
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

const completeUploadExternal: MethodHandler = (p, { store }) => {
  const requested = parseFileList(p.files);
  if (!requested) return apiError('invalid_arguments');
  const records: StoredFile[] = [];
  for (const r of requested) {
    const f = store.fileRecord(r.id);
    if (!f || !f.uploaded) return apiError('file_not_found');
    records.push(f);
  }
  const channelIds = (str(p.channel_id) ?? str(p.channels) ?? '').split(',').filter(Boolean);
  const channels: StandInChannel[] = [];
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

export const fileMethods: Record<string, MethodHandler> = {
  'files.getUploadURLExternal': getUploadURLExternal,
  'files.completeUploadExternal': completeUploadExternal,
};
