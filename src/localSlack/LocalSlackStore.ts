import { SLACK_BOT_SCOPES } from '../domain/slackBotScopes';
import { FileStore, type StoredFile } from './FileStore';
import { MessageStore } from './MessageStore';
import type {
  LocalSlackBot,
  LocalSlackChannel,
  LocalSlackUser,
  RecordedCall,
} from './localSlackTypes';

export type { PostOptions } from './MessageStore';
export type { StoredFile } from './FileStore';

export const LOCAL_SLACK_TOKEN = 'xoxb-local-slack-token';

/** Calls kept for inspection: a local serve runs for days, and only recent calls are of use. */
export const CALL_LOG_LIMIT = 1000;

export const DEFAULT_BOT: LocalSlackBot = {
  userId: 'U0PORTBOT',
  botId: 'B0PORTBOT',
  appId: 'A0PORTBOT',
  teamId: 'T0PORTBOT',
  team: 'portbot-local',
  userName: 'portbot',
};

export interface StoreOptions {
  tokens?: string[];
  users?: LocalSlackUser[];
  /** User group id → member user ids, for usergroups.users.list. */
  userGroups?: Record<string, string[]>;
  channels?: LocalSlackChannel[];
  /** Accept posts to channel ids never seeded (creating them); off by default, as in Slack. */
  autoCreateChannels?: boolean;
  bot?: LocalSlackBot;
  /**
   * The bot token's scopes, sent back in the x-oauth-scopes header of every authenticated call
   * as Slack does; default every scope portbot calls for (SLACK_BOT_SCOPES).
   */
  scopes?: readonly string[];
}

/** The id of a user's DM with the bot: the same for every call, as in Slack. */
export function dmChannelId(userId: string): string {
  return `D${userId.slice(1)}`;
}

/** Everything the local Slack knows: seeds, messages (see MessageStore), files and the call log. */
export class LocalSlackStore extends MessageStore {
  readonly autoCreateChannels: boolean;
  /** Files uploaded with files.getUploadURLExternal (the file methods change them). */
  readonly uploads = new FileStore();
  /** Token → 'active', or the error code a revoked token answers with. */
  private readonly tokens = new Map<string, string>();
  private readonly users = new Map<string, LocalSlackUser>();
  private readonly userGroups = new Map<string, string[]>();
  private readonly channels = new Map<string, LocalSlackChannel>();
  private callLog: RecordedCall[] = [];
  private grantedScopes: readonly string[];
  private callSeq = 0;

  constructor(opts: StoreOptions = {}) {
    super(opts.bot ?? DEFAULT_BOT);
    this.autoCreateChannels = opts.autoCreateChannels ?? false;
    this.grantedScopes = [...(opts.scopes ?? SLACK_BOT_SCOPES.map((s) => s.scope))];
    for (const t of opts.tokens ?? [LOCAL_SLACK_TOKEN]) this.addToken(t);
    for (const u of opts.users ?? []) this.addUser(u);
    for (const [g, members] of Object.entries(opts.userGroups ?? {})) this.addUserGroup(g, members);
    for (const c of opts.channels ?? []) this.addChannel(c);
  }

  // --- seeding -------------------------------------------------------------------------------
  addToken(token: string): void {
    this.tokens.set(token, 'active');
  }
  /** Later calls with this token answer `error` (Slack also uses token_revoked, account_inactive). */
  revokeToken(token: string, error = 'invalid_auth'): void {
    this.tokens.set(token, error);
  }
  /** undefined when the token may call; otherwise the auth error Slack would answer. */
  authError(token: string | undefined): string | undefined {
    if (token === undefined || token === '') return 'not_authed';
    const state = this.tokens.get(token);
    if (state === undefined) return 'invalid_auth';
    return state === 'active' ? undefined : state;
  }
  /** Replaces the granted scopes, as reinstalling the app with other scopes would. */
  grantScopes(scopes: readonly string[]): void {
    this.grantedScopes = [...scopes];
  }
  scopes(): readonly string[] {
    return [...this.grantedScopes];
  }
  addUser(user: LocalSlackUser): void {
    this.users.set(user.id, { ...user });
  }
  addUserGroup(id: string, members: readonly string[]): void {
    this.userGroups.set(id, [...members]);
  }
  /** The group's members (a copy); undefined for a group never seeded. */
  userGroup(id: string): string[] | undefined {
    const members = this.userGroups.get(id);
    return members ? [...members] : undefined;
  }
  addChannel(channel: LocalSlackChannel): void {
    this.channels.set(channel.id, { ...channel });
  }
  user(id: string): LocalSlackUser | undefined {
    return this.users.get(id);
  }

  /** Slack accepts a channel ID or a name (with or without '#'). */
  channel(idOrName: string): LocalSlackChannel | undefined {
    const byId = this.channels.get(idOrName);
    if (byId) return byId;
    const name = idOrName.replace(/^#/, '');
    for (const c of this.channels.values()) if (c.name === name) return c;
    if (this.autoCreateChannels && /^[CGD][A-Z0-9]+$/.test(idOrName)) {
      const created = { id: idOrName, name: idOrName.toLowerCase() };
      this.channels.set(idOrName, created);
      return created;
    }
    return undefined;
  }

  /** The user's DM with the bot (one per user, as in Slack), opened on first use. */
  openDm(userId: string): { id: string; alreadyOpen: boolean } {
    const id = dmChannelId(userId);
    const alreadyOpen = this.channels.has(id);
    if (!alreadyOpen)
      this.addChannel({ id, name: id.toLowerCase(), isPrivate: true, members: [userId] });
    return { id, alreadyOpen };
  }

  /** Calls `listener` with every recorded call; returns the unsubscribe. */
  onCall(listener: (call: RecordedCall) => void): () => void {
    this.events.on('call', listener);
    return () => {
      this.events.off('call', listener);
    };
  }

  // --- call log ------------------------------------------------------------------------------
  record(call: Omit<RecordedCall, 'seq'>): RecordedCall {
    this.callSeq += 1;
    const full = { seq: this.callSeq, ...call };
    this.callLog.push(full);
    if (this.callLog.length > CALL_LOG_LIMIT) this.callLog.shift();
    this.events.emit('call', full);
    this.events.emit('change');
    return full;
  }

  // --- queries (copies, so tests cannot corrupt state) ---------------------------------------
  /** The last CALL_LOG_LIMIT calls, oldest first. */
  calls(method?: string): RecordedCall[] {
    const list = method ? this.callLog.filter((c) => c.method === method) : this.callLog;
    return structuredClone(list);
  }

  /** Every file kept (see FILE_LIMIT), oldest first, with its bytes once uploaded. */
  files(): StoredFile[] {
    return this.uploads.all();
  }
  file(id: string): StoredFile | undefined {
    return this.uploads.get(id);
  }

  /** Forgets messages, files and calls; keeps seeded users, channels, tokens. */
  reset(): void {
    this.clearMessages();
    this.uploads.clear();
    this.callLog = [];
    this.callSeq = 0;
    this.events.emit('change');
  }
}
