import type { Log } from '../domain/Log';
import { dmChannelId } from '../localSlack/LocalSlackStore';
import type { LocalSlack } from '../localSlack/startLocalSlack';
import { postToSlackEvents, type SlackAnswer } from './postToSlackEvents';
import { OpenModals } from './OpenModals';
import { buildSnapshot, viewIdentity } from './view/buildSnapshot';
import {
  blockActionsPayload,
  interactivityForm,
  readCommandAnswer,
  readSubmissionAnswer,
  slashCommandForm,
  viewSubmissionPayload,
  type Actor,
} from './view/interactionPayloads';
import type { WorkspaceChannel, WorkspaceSnapshot, WorkspaceUser } from './view/WorkspaceView';
import type {
  ClickRequest,
  CloseRequest,
  CommandRequest,
  SubmitRequest,
} from './WorkspaceRequestSchemas';

export interface LocalWorkspaceOptions {
  slack: LocalSlack;
  signingSecret: string;
  users: WorkspaceUser[];
  /** User groups the policy names, with their members (see workspaceGroups). */
  userGroups: Record<string, string[]>;
  /** Channels the page lists (the alert channel first); each user's DM with the bot is added. */
  channels: { id: string; name: string }[];
  log: Log;
  now?: () => number;
}

export type WorkspaceResult = { ok: true } | { ok: false; status: number; error: string };

/**
 * The local workspace: one person plays every user of the policy against the built-in local
 * Slack. What they do is sent to serve's /slack/events as Slack sends it, signed; what the bot
 * posts is read back from the local Slack. It keeps only which modal each user has open.
 */
export class LocalWorkspace {
  private readonly modals: OpenModals;
  private readonly listeners = new Set<() => void>();
  private readonly stops: (() => void)[] = [];
  private readonly now: () => number;

  constructor(private readonly o: LocalWorkspaceOptions) {
    this.now = o.now ?? Date.now;
    this.modals = new OpenModals(this.now);
    // Seeded so DMs (conversations.open) and mentions work for everyone the page can play.
    for (const u of o.users) o.slack.addUser({ id: u.id, name: u.name, realName: u.name });
    for (const [g, members] of Object.entries(o.userGroups)) o.slack.addUserGroup(g, members);
    for (const c of o.channels) {
      if (!o.slack.channel(c.id)) o.slack.addChannel({ id: c.id, name: c.name });
    }
    this.stops.push(o.slack.onCall((call) => this.modals.noteCall(call)));
    this.stops.push(o.slack.onChange(() => this.changed()));
  }

  get users(): readonly WorkspaceUser[] {
    return this.o.users;
  }

  isUser(id: string): boolean {
    return this.o.users.some((u) => u.id === id);
  }

  /** Called after anything the page shows may have changed; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  snapshot(user: string): WorkspaceSnapshot {
    const { slack } = this.o;
    const channels = this.channelsFor(user);
    return buildSnapshot(
      {
        team: slack.bot.team,
        botUserId: slack.bot.userId,
        users: [...this.o.users],
        channels,
        messages: channels.flatMap((c) => slack.messages(c.id)),
        ephemerals: slack.ephemerals(),
        modal: this.modals.get(user) ?? null,
      },
      user,
    );
  }

  /** `/port <text>` typed by `user` in `channel`; the quick answer is shown to them as Slack would. */
  async command(port: number, req: CommandRequest): Promise<WorkspaceResult> {
    const actor = this.actor(req.user);
    const channel = this.channelsFor(req.user).find((c) => c.id === req.channel);
    if (!actor || !channel) return { ok: false, status: 400, error: 'unknown user or channel' };
    const form = slashCommandForm(actor, {
      channelId: channel.id,
      channelName: channel.name,
      text: req.text,
      triggerId: this.modals.newTrigger(req.user),
      responseUrl: this.o.slack.responseUrl(req.user),
    });
    const answer = await this.post(port, form);
    const shown =
      answer.status === 200
        ? readCommandAnswer(answer.body)
        : { text: `/port failed: portbot answered HTTP ${answer.status}`, blocks: [] };
    if (shown) {
      this.o.slack.addEphemeral({
        channel: channel.id,
        user: req.user,
        message_ts: this.o.slack.newEphemeralTs(),
        ...shown,
      });
    }
    return answer.status === 200 ? { ok: true } : failed(answer);
  }

  /** A button pressed by `user` (its confirm dialog, if any, already accepted on the page). */
  async click(port: number, req: ClickRequest): Promise<WorkspaceResult> {
    const actor = this.actor(req.user);
    const channel = this.channelsFor(req.user).find((c) => c.id === req.channel);
    if (!actor || !channel) return { ok: false, status: 400, error: 'unknown user or channel' };
    const message = this.snapshot(req.user).messages.find(
      (m) => m.channel === channel.id && m.ts === req.ts,
    );
    const stored = message?.ephemeral
      ? this.o.slack.ephemerals(channel.id).find((e) => e.message_ts === req.ts)
      : this.o.slack.message(channel.id, req.ts);
    const button = message?.blocks
      .flatMap((b) =>
        b.kind === 'actions' ? b.buttons : b.kind === 'section' && b.accessory ? [b.accessory] : [],
      )
      .find((b) => b.actionId === req.actionId && b.blockId === req.blockId);
    if (!message || !stored || !button) {
      return { ok: false, status: 404, error: 'that button is no longer on the message' };
    }
    const payload = blockActionsPayload(actor, {
      channelId: channel.id,
      channelName: channel.name,
      message: {
        ts: message.ts,
        threadTs: message.threadTs,
        text: stored.text,
        blocks: stored.blocks ?? [],
        ephemeral: message.ephemeral,
      },
      actionId: button.actionId,
      blockId: button.blockId,
      value: button.value,
      text: button.text,
      triggerId: this.modals.newTrigger(req.user),
      responseUrl: this.o.slack.responseUrl(req.user),
      nowMs: this.now(),
    });
    const answer = await this.post(port, interactivityForm(payload));
    return answer.status === 200 ? { ok: true } : failed(answer);
  }

  /** The user's open modal submitted with these input values; Bolt's answer closes it or shows errors. */
  async submit(port: number, req: SubmitRequest): Promise<WorkspaceResult> {
    const actor = this.actor(req.user);
    const modal = this.modals.get(req.user);
    if (!actor || modal?.viewId !== req.viewId) {
      return { ok: false, status: 409, error: 'that form is no longer open' };
    }
    const payload = viewSubmissionPayload(actor, {
      viewId: modal.viewId,
      ...viewIdentity(modal.view),
      values: req.values,
      triggerId: this.modals.newTrigger(req.user),
    });
    const answer = await this.post(port, interactivityForm(payload));
    const read = readSubmissionAnswer(answer.status, answer.body);
    if (read.kind === 'failed') return failed(answer);
    this.modals.settle(req.user, req.viewId, read.kind === 'errors' ? read.errors : null);
    this.changed();
    return { ok: true };
  }

  /** Cancel: Slack tells the app only when the view asked for it (portbot's modals do not). */
  closeModal(req: CloseRequest): WorkspaceResult {
    this.modals.settle(req.user, req.viewId, null);
    this.changed();
    return { ok: true };
  }

  close(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.listeners.clear();
  }

  private channelsFor(user: string): WorkspaceChannel[] {
    return [
      ...this.o.channels.map((c) => ({ ...c, kind: 'channel' as const })),
      { id: dmChannelId(user), name: 'portbot', kind: 'dm' as const },
    ];
  }

  private actor(userId: string): Actor | undefined {
    const user = this.o.users.find((u) => u.id === userId);
    const bot = this.o.slack.bot;
    return user
      ? { userId, userName: user.name, teamId: bot.teamId, teamDomain: bot.team, appId: bot.appId }
      : undefined;
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  private async post(port: number, form: string): Promise<SlackAnswer> {
    try {
      return await postToSlackEvents(port, this.o.signingSecret, form, this.now());
    } catch (err) {
      this.o.log.warn({ err: String(err) }, 'local workspace: request to /slack/events failed');
      return { status: 502, body: '' };
    }
  }
}

function failed(answer: SlackAnswer): WorkspaceResult {
  return { ok: false, status: 502, error: `portbot answered HTTP ${answer.status}` };
}
