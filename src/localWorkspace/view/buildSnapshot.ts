import { blockViews, plainOf } from './blockView';
import { obj, str } from './jsonShape';
import { parseMrkdwn, type NameOf } from './parseMrkdwn';
import type {
  MessageView,
  ModalStateView,
  WorkspaceChannel,
  WorkspaceSnapshot,
  WorkspaceUser,
} from './WorkspaceView';

/** A message as the local Slack keeps it (the fields the page reads). */
export interface PostedMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  user: string;
  reply_count?: number;
  edited?: { user: string; ts: string };
}

export interface PostedEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
}

/** A modal views.open opened for the user, and the errors of its last submission. */
export interface OpenModal {
  viewId: string;
  view: unknown;
  errors: Record<string, string>;
}

export interface SnapshotSource {
  team: string;
  botUserId: string;
  users: WorkspaceUser[];
  /** The channels the page lists, the user's DM with the bot among them. */
  channels: WorkspaceChannel[];
  messages: PostedMessage[];
  ephemerals: PostedEphemeral[];
  modal: OpenModal | null;
}

/** Messages kept per channel on the page: a local serve runs for days, the page shows recent ones. */
export const PAGE_MESSAGES_PER_CHANNEL = 300;

/** Slack's ts is "<seconds>.<6 digits>": compared as two integers, as a float would round. */
export function compareTs(a: string, b: string): number {
  const [as = '0', af = '0'] = a.split('.');
  const [bs = '0', bf = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(af) - Number(bf);
}

/** What `user`'s page shows: channels, messages, the ephemerals and the modal that are theirs. */
export function buildSnapshot(src: SnapshotSource, user: string): WorkspaceSnapshot {
  const names = new Map<string, string>([
    ...src.users.map((u) => [u.id, u.name] as const),
    ...src.channels.map((c) => [c.id, c.name] as const),
  ]);
  const nameOf: NameOf = (id) => names.get(id);
  const listed = new Set(src.channels.map((c) => c.id));
  const posted = src.messages
    .filter((m) => listed.has(m.channel))
    .map((m) => messageView(m, src.botUserId, nameOf));
  const ephemeral = src.ephemerals
    .filter((e) => e.user === user && listed.has(e.channel))
    .map((e) => ephemeralView(e, nameOf));
  const messages = src.channels.flatMap((c) =>
    [...posted, ...ephemeral]
      .filter((m) => m.channel === c.id)
      .sort((a, b) => compareTs(a.ts, b.ts))
      .slice(-PAGE_MESSAGES_PER_CHANNEL),
  );
  return {
    team: src.team,
    user,
    users: src.users,
    channels: src.channels,
    messages,
    modal: src.modal ? modalView(src.modal, nameOf) : null,
  };
}

function messageView(m: PostedMessage, botUserId: string, nameOf: NameOf): MessageView {
  return {
    channel: m.channel,
    ts: m.ts,
    threadTs: m.thread_ts ?? null,
    author: m.user === botUserId ? 'portbot' : (nameOf(m.user) ?? m.user),
    text: m.text,
    blocks: contentBlocks(m.blocks, m.text, nameOf),
    edited: m.edited !== undefined,
    replyCount: m.reply_count ?? 0,
    ephemeral: false,
  };
}

function ephemeralView(e: PostedEphemeral, nameOf: NameOf): MessageView {
  return {
    channel: e.channel,
    ts: e.message_ts,
    threadTs: e.thread_ts ?? null,
    author: 'portbot',
    text: e.text,
    blocks: contentBlocks(e.blocks, e.text, nameOf),
    edited: false,
    replyCount: 0,
    ephemeral: true,
  };
}

/** A message without blocks shows its text, as mrkdwn (Slack's default for `text`). */
function contentBlocks(blocks: unknown[] | undefined, text: string, nameOf: NameOf) {
  if (blocks && blocks.length > 0) return blockViews(blocks, nameOf);
  return [
    { kind: 'section' as const, text: parseMrkdwn(text, nameOf), fields: [], accessory: null },
  ];
}

export function modalView(m: OpenModal, nameOf: NameOf): ModalStateView {
  const v = obj(m.view);
  return {
    viewId: m.viewId,
    title: plainOf(v?.title),
    submit: v?.submit === undefined ? null : plainOf(v.submit),
    close: v?.close === undefined ? 'Cancel' : plainOf(v.close),
    blocks: blockViews(v?.blocks, nameOf),
    errors: m.errors,
  };
}

/** The callback_id and private_metadata Slack sends back with a submission of this view. */
export function viewIdentity(view: unknown): { callbackId: string; privateMetadata: string } {
  const v = obj(view);
  return { callbackId: str(v?.callback_id) ?? '', privateMetadata: str(v?.private_metadata) ?? '' };
}
