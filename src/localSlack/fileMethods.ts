import type { StoredFile } from './FileStore';
import type { MethodHandler } from './MethodHandler';
import { apiError, postableChannel, str } from './MethodHandler';
import type { FileRef, LocalSlackChannel } from './localSlackTypes';

/** Path prefix of the upload URLs handed out; the local Slack stores POSTs under it. */
export const UPLOAD_PATH = '/upload/v1/';

/**
 * files.getUploadURLExternal: `filename` and `length` (bytes) are required. Slack documents
 * `missing_argument` for a length of 0; anything else that is not a positive integer, or no
 * filename, answers `invalid_arguments`.
 */
const getUploadURLExternal: MethodHandler = (p, { store, origin }) => {
  const filename = str(p.filename)?.trim();
  const lengthText = str(p.length)?.trim() ?? '';
  if (!filename || lengthText === '') return apiError('invalid_arguments');
  if (!/^\d+$/.test(lengthText)) return apiError('invalid_arguments');
  const length = Number(lengthText);
  if (length === 0) return apiError('missing_argument');
  if (!Number.isSafeInteger(length)) return apiError('invalid_arguments');
  const { file, token } = store.uploads.create(filename, length);
  return { ok: true, upload_url: `${origin}${UPLOAD_PATH}${token}`, file_id: file.id };
};

interface RequestedFile {
  id: string;
  title?: string;
}

/** `files` as Slack takes it: a JSON array (a string in a form body) of `{id, title?}`. */
function parseFileList(v: unknown): RequestedFile[] | undefined {
  let list: unknown = v;
  if (typeof v === 'string') {
    try {
      list = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const out: RequestedFile[] = [];
  for (const item of list as unknown[]) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { id, title } = item as { id?: unknown; title?: unknown };
    if (typeof id !== 'string' || id === '') return undefined;
    if (title !== undefined && typeof title !== 'string') return undefined;
    if (out.some((r) => r.id === id)) return undefined;
    out.push(title === undefined ? { id } : { id, title });
  }
  return out;
}

function fileRef(f: StoredFile): FileRef {
  return { id: f.id, title: f.title ?? f.filename, name: f.filename, size: f.content?.length ?? 0 };
}

/** The channels a completion shares into; Slack says `invalid_channel` for an unknown one. */
function shareChannels(
  ctx: Parameters<MethodHandler>[1],
  p: Parameters<MethodHandler>[0],
): LocalSlackChannel[] | { error: string } {
  const ids = (str(p.channel_id) ?? str(p.channels) ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const channels: LocalSlackChannel[] = [];
  for (const id of ids) {
    const c = postableChannel(ctx, id);
    if ('error' in c)
      return { error: c.error === 'channel_not_found' ? 'invalid_channel' : c.error };
    channels.push(c);
  }
  return channels;
}

/**
 * files.completeUploadExternal: shares uploaded files (a message carrying them in each channel,
 * in the thread when `thread_ts` is given); without a channel the file stays private. Checked
 * before anything changes: a file never created, never uploaded or already completed answers
 * `file_not_found` (an upload can be completed once: its ticket is spent), a malformed `files`
 * `invalid_arguments`, `thread_ts` with several channels `invalid_arguments`.
 */
const completeUploadExternal: MethodHandler = (p, ctx) => {
  const requested = parseFileList(p.files);
  if (!requested) return apiError('invalid_arguments');
  const records: StoredFile[] = [];
  for (const r of requested) {
    const f = ctx.store.uploads.record(r.id);
    if (!f || !f.uploaded || f.completed) return apiError('file_not_found');
    records.push(f);
  }
  const channels = shareChannels(ctx, p);
  if ('error' in channels) return apiError(channels.error);
  const threadTs = str(p.thread_ts);
  if (threadTs && channels.length > 1) return apiError('invalid_arguments');
  requested.forEach((r, i) => {
    const f = records[i];
    if (!f) return;
    if (r.title !== undefined) f.title = r.title;
    f.completed = true;
    f.channels = channels.map((c) => c.id);
  });
  const refs = records.map(fileRef);
  const comment = str(p.initial_comment) ?? '';
  for (const c of channels) {
    ctx.store.postMessage(
      c.id,
      { text: comment },
      { files: refs, ...(threadTs ? { thread_ts: threadTs } : {}) },
    );
  }
  return { ok: true, files: refs.map((r) => ({ ...r, channels: channels.map((c) => c.id) })) };
};

/** Slack's two-step external upload (the upload URL itself is served by LocalSlack). */
export const fileMethods: Record<string, MethodHandler> = {
  'files.getUploadURLExternal': getUploadURLExternal,
  'files.completeUploadExternal': completeUploadExternal,
};
