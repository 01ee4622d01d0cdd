import { FailurePlan } from './FailurePlan';
import { MessageStore } from './MessageStore';
import type {
  FailureSpec,
  RecordedCall,
  StandInBot,
  StandInChannel,
  StandInUser,
  StoredFile,
} from './standInTypes';

export type { PostOptions } from './MessageStore';

export const STAND_IN_TOKEN = 'xoxb-stand-in-token';

export const DEFAULT_BOT: StandInBot = {
  userId: 'U0PORTBOT',
  botId: 'B0PORTBOT',
  appId: 'A0PORTBOT',
  teamId: 'T0PORTBOT',
  team: 'portbot-stand-in',
  userName: 'portbot',
};

export interface StoreOptions {
  tokens?: string[];
  users?: StandInUser[];
  userGroups?: Record<string, string[]>;
  channels?: StandInChannel[];
  /** Accept posts to channel ids never seeded (creating them); off by default, as in Slack. */
  autoCreateChannels?: boolean;
  bot?: StandInBot;
}

// structuredClone would turn the Buffer into a plain Uint8Array.
function copyFile(f: StoredFile): StoredFile {
  const { content, ...rest } = f;
  return { ...structuredClone(rest), ...(content ? { content: Buffer.from(content) } : {}) };
}

/** Everything the stand-in knows: seeds, messages (see MessageStore), files and the call log. */
export class SlackStandInStore extends MessageStore {
  readonly failures = new FailurePlan();
  readonly autoCreateChannels: boolean;
  /** Token → 'active', or the error code a revoked token answers with. */
  private readonly tokens = new Map<string, string>();
  private readonly users = new Map<string, StandInUser>();
  private readonly userGroups = new Map<string, string[]>();
  private readonly channels = new Map<string, StandInChannel>();
  private fileMap = new Map<string, StoredFile>();
  private callLog: RecordedCall[] = [];
  private fileSeq = 0;

  constructor(opts: StoreOptions = {}) {
    super(opts.bot ?? DEFAULT_BOT);
    this.autoCreateChannels = opts.autoCreateChannels ?? false;
    for (const t of opts.tokens ?? [STAND_IN_TOKEN]) this.addToken(t);
    for (const u of opts.users ?? []) this.addUser(u);
    for (const [id, members] of Object.entries(opts.userGroups ?? {}))
      this.addUserGroup(id, members);
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
  addUser(user: StandInUser): void {
    this.users.set(user.id, { ...user });
  }
  addUserGroup(id: string, userIds: string[]): void {
    this.userGroups.set(id, [...userIds]);
  }
  addChannel(channel: StandInChannel): void {
    this.channels.set(channel.id, { ...channel });
  }
  user(id: string): StandInUser | undefined {
    return this.users.get(id);
  }
  userGroup(id: string): string[] | undefined {
    return this.userGroups.get(id);
  }

  /** Slack accepts a channel ID or a name (with or without '#'). */
  channel(idOrName: string): StandInChannel | undefined {
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

  // --- files ---------------------------------------------------------------------------------
  createFile(filename: string, declaredLength: number): StoredFile {
    this.fileSeq += 1;
    const id = `F${String(this.fileSeq).padStart(9, '0')}`;
    const file: StoredFile = {
      id,
      filename,
      declaredLength,
      uploaded: false,
      completed: false,
      channels: [],
    };
    this.fileMap.set(id, file);
    return file;
  }
  /** The live record: handlers mutate it as the upload progresses. */
  fileRecord(id: string): StoredFile | undefined {
    return this.fileMap.get(id);
  }

  // --- call log ------------------------------------------------------------------------------
  record(call: Omit<RecordedCall, 'seq'>): RecordedCall {
    const full = { seq: this.callLog.length + 1, ...call };
    this.callLog.push(full);
    this.events.emit('call', full);
    this.events.emit('change');
    return full;
  }

  failNext(method: string, spec: FailureSpec): void {
    this.failures.add(method, spec);
  }

  // --- queries (copies, so tests cannot corrupt state) ---------------------------------------
  calls(method?: string): RecordedCall[] {
    const list = method ? this.callLog.filter((c) => c.method === method) : this.callLog;
    return structuredClone(list);
  }
  files(): StoredFile[] {
    return [...this.fileMap.values()].map(copyFile);
  }
  file(id: string): StoredFile | undefined {
    const f = this.fileMap.get(id);
    return f ? copyFile(f) : undefined;
  }

  /** Forgets messages, files, calls and pending failures; keeps seeded users, channels, tokens. */
  reset(): void {
    this.clearMessages();
    this.fileMap = new Map();
    this.callLog = [];
    this.failures.clear();
    this.events.emit('change');
  }
}
