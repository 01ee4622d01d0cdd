import { EventEmitter } from 'node:events';
import type { MessageContent } from './checkMessageContent';
import { makeTsClock } from './makeTsClock';
import type { EphemeralMessage, FileRef, LocalSlackBot, StoredMessage } from './localSlackTypes';

export interface PostOptions {
  thread_ts?: string;
  reply_broadcast?: boolean;
  files?: FileRef[];
  metadata?: unknown;
}

/**
 * Channel messages with Slack's thread bookkeeping (reply_count, latest_reply...), ephemeral
 * messages, and change notification for `waitFor`. Queries return copies so tests cannot corrupt
 * the state.
 */
export class MessageStore {
  protected readonly events = new EventEmitter();
  protected readonly nextTs = makeTsClock();
  private byChannel = new Map<string, StoredMessage[]>();
  private ephemeralLog: EphemeralMessage[] = [];

  constructor(readonly bot: LocalSlackBot) {
    this.events.setMaxListeners(0);
  }

  postMessage(channel: string, content: MessageContent, opts: PostOptions = {}): StoredMessage {
    const list = this.byChannel.get(channel) ?? [];
    this.byChannel.set(channel, list);
    const ts = this.nextTs();
    // Slack files a reply to a reply under that reply's root.
    const parent = opts.thread_ts === undefined ? undefined : this.find(channel, opts.thread_ts);
    const threadTs = parent?.thread_ts ?? opts.thread_ts;
    const root = threadTs === undefined ? undefined : this.find(channel, threadTs);
    const msg: StoredMessage = {
      type: 'message',
      channel,
      ts,
      text: content.text ?? '',
      user: this.bot.userId,
      bot_id: this.bot.botId,
      app_id: this.bot.appId,
      team: this.bot.teamId,
      previousVersions: [],
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(content.attachments ? { attachments: content.attachments } : {}),
      ...(opts.files ? { files: opts.files } : {}),
      ...(opts.metadata !== undefined ? { metadata: opts.metadata } : {}),
      ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
      ...(opts.reply_broadcast ? { reply_broadcast: true } : {}),
    };
    list.push(msg);
    if (threadTs !== undefined && root) {
      root.thread_ts = threadTs;
      root.reply_count = (root.reply_count ?? 0) + 1;
      root.reply_users = [...new Set([...(root.reply_users ?? []), msg.user])];
      root.latest_reply = ts;
    }
    this.events.emit('change');
    return structuredClone(msg);
  }

  updateMessage(channel: string, ts: string, content: MessageContent): StoredMessage | undefined {
    const msg = this.find(channel, ts);
    if (!msg) return undefined;
    msg.previousVersions.push({
      text: msg.text,
      ...(msg.blocks ? { blocks: msg.blocks } : {}),
      ...(msg.attachments ? { attachments: msg.attachments } : {}),
    });
    // chat.update keeps blocks/attachments that the call leaves out (Slack's documented rule).
    if (content.text !== undefined) msg.text = content.text;
    if (content.blocks !== undefined) msg.blocks = content.blocks;
    if (content.attachments !== undefined) msg.attachments = content.attachments;
    msg.edited = { user: this.bot.userId, ts: this.nextTs() };
    this.events.emit('change');
    return structuredClone(msg);
  }

  /** chat.delete: the message goes; a reply no longer counts in its thread. */
  deleteMessage(channel: string, ts: string): boolean {
    const list = this.byChannel.get(channel) ?? [];
    const i = list.findIndex((m) => m.ts === ts);
    const msg = list[i];
    if (!msg) return false;
    list.splice(i, 1);
    const root =
      msg.thread_ts !== undefined && msg.thread_ts !== ts
        ? this.find(channel, msg.thread_ts)
        : undefined;
    if (root?.reply_count !== undefined) root.reply_count -= 1;
    this.events.emit('change');
    return true;
  }

  addEphemeral(e: EphemeralMessage): void {
    this.ephemeralLog.push(structuredClone(e));
    this.events.emit('change');
  }
  newEphemeralTs(): string {
    return this.nextTs();
  }

  /** Every message in the channel (roots and replies), oldest first. */
  messages(channel: string): StoredMessage[] {
    return structuredClone(this.byChannel.get(channel) ?? []);
  }
  /** What the channel shows at top level: roots and broadcast replies. */
  topLevelMessages(channel: string): StoredMessage[] {
    return this.messages(channel).filter(
      (m) => m.thread_ts === undefined || m.thread_ts === m.ts || m.reply_broadcast === true,
    );
  }
  message(channel: string, ts: string): StoredMessage | undefined {
    const m = this.find(channel, ts);
    return m ? structuredClone(m) : undefined;
  }
  /** A thread as it is now: the root (undefined if never posted) and its replies, oldest first. */
  thread(
    channel: string,
    ts: string,
  ): { root: StoredMessage | undefined; replies: StoredMessage[] } {
    const all = this.messages(channel);
    return {
      root: all.find((m) => m.ts === ts),
      replies: all.filter((m) => m.thread_ts === ts && m.ts !== ts),
    };
  }
  ephemerals(channel?: string): EphemeralMessage[] {
    const list = channel
      ? this.ephemeralLog.filter((e) => e.channel === channel)
      : this.ephemeralLog;
    return structuredClone(list);
  }

  /** Calls `listener` after every change (a post, an update, an ephemeral...); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.events.on('change', listener);
    return () => {
      this.events.off('change', listener);
    };
  }

  /** Resolves once `probe` returns a value other than undefined; rejects after timeoutMs. */
  waitFor<T>(probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const v = probe();
        if (v === undefined) return false;
        cleanup();
        resolve(v);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`local Slack: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off('change', check);
      };
      this.events.on('change', check);
      check();
    });
  }

  protected clearMessages(): void {
    this.byChannel = new Map();
    this.ephemeralLog = [];
  }

  private find(channel: string, ts: string): StoredMessage | undefined {
    return this.byChannel.get(channel)?.find((m) => m.ts === ts);
  }
}
