/** Decoded request parameters; form bodies give strings, JSON bodies may give any JSON value. */
export type Params = Record<string, unknown>;

/** What a method handler answers: the JSON body, plus an HTTP status and headers when not 200. */
export interface MethodResult {
  body: Record<string, unknown>;
  status?: number;
  headers?: Record<string, string>;
}

export interface LocalSlackUser {
  id: string;
  name: string;
  realName?: string;
  email?: string;
  isAdmin?: boolean;
  isBot?: boolean;
  deleted?: boolean;
  tz?: string;
}

export interface LocalSlackChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  /** When set, postEphemeral to anyone else answers user_not_in_channel. */
  members?: string[];
  /** false makes posts answer not_in_channel, as Slack does when the bot was never invited. */
  botIsMember?: boolean;
}

/** The bot identity auth.test reports and messages are posted as. */
export interface LocalSlackBot {
  userId: string;
  botId: string;
  appId: string;
  teamId: string;
  team: string;
  userName: string;
}

export interface FileRef {
  id: string;
  title: string;
  name: string;
  size: number;
}

export interface MessageVersion {
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

export interface StoredMessage {
  type: 'message';
  channel: string;
  ts: string;
  /** Set on replies, and on a root once it has replies (as Slack does). */
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  files?: FileRef[];
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  reply_broadcast?: boolean;
  edited?: { user: string; ts: string };
  /** Earlier contents, oldest first: lets tests see what a message looked like before updates. */
  previousVersions: MessageVersion[];
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  message_ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
}

export interface RecordedCall {
  seq: number;
  method: string;
  /** Decoded parameters without the token; JSON-string fields (blocks, files...) parsed when valid. */
  params: Params;
  at: number;
  status: number;
  ok: boolean;
  error?: string;
  response: Record<string, unknown>;
}
