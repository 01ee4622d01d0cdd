/**
 * What the local workspace page shows, as typed data. The page builds its DOM from these with
 * text nodes only (never HTML), so nothing a host, an alert or a person typed can become markup.
 */

/** mrkdwn, parsed: text stays text, formatting is structure. */
export type Inline =
  | { t: 'text'; text: string }
  | { t: 'bold' | 'italic' | 'strike' | 'quote'; children: Inline[] }
  | { t: 'code'; text: string }
  | { t: 'pre'; text: string }
  /** Only http(s) and mailto targets become links; anything else stays text. */
  | { t: 'link'; href: string; children: Inline[] }
  | { t: 'mention'; kind: 'user' | 'channel' | 'group' | 'special'; id: string; label: string }
  | { t: 'br' };

export type ButtonStyle = 'primary' | 'danger' | null;

export interface ConfirmView {
  title: string;
  text: Inline[];
  confirm: string;
  deny: string;
  style: ButtonStyle;
}

export interface ButtonView {
  actionId: string;
  blockId: string;
  value: string;
  text: string;
  style: ButtonStyle;
  confirm: ConfirmView | null;
}

export interface InputView {
  blockId: string;
  actionId: string;
  label: string;
  hint: string | null;
  optional: boolean;
  multiline: boolean;
  placeholder: string | null;
  minLength: number | null;
  maxLength: number | null;
  initialValue: string;
}

export type BlockView =
  | { kind: 'header'; text: string }
  | { kind: 'section'; text: Inline[] | null; fields: Inline[][]; accessory: ButtonView | null }
  | { kind: 'context'; elements: Inline[][] }
  | { kind: 'divider' }
  | { kind: 'actions'; blockId: string; buttons: ButtonView[] }
  | { kind: 'input'; input: InputView }
  /** A block type the page does not draw: shown as a note, so nothing is silently lost. */
  | { kind: 'unsupported'; type: string };

export interface MessageView {
  channel: string;
  ts: string;
  /** The thread this message is in (its own ts for a root with replies); null at top level. */
  threadTs: string | null;
  /** Who posted it, as shown ("portbot" for the bot). */
  author: string;
  /** The notification text; what is drawn when there are no blocks. */
  text: string;
  blocks: BlockView[];
  edited: boolean;
  replyCount: number;
  /** Shown to the selected user only ("Only visible to you"), as Slack shows ephemerals. */
  ephemeral: boolean;
}

export interface ModalStateView {
  viewId: string;
  title: string;
  submit: string | null;
  close: string;
  blocks: BlockView[];
  /** Errors Bolt answered to the last submission, by input block id. */
  errors: Record<string, string>;
}

export type WorkspaceRole = 'requester' | 'approver' | 'auditor' | 'command user' | 'outsider';

export interface WorkspaceUser {
  id: string;
  name: string;
  roles: WorkspaceRole[];
}

export interface WorkspaceChannel {
  id: string;
  name: string;
  kind: 'channel' | 'dm';
}

/** Everything one user's page shows, sent whole on every change (local scale: small). */
export interface WorkspaceSnapshot {
  team: string;
  user: string;
  users: WorkspaceUser[];
  channels: WorkspaceChannel[];
  messages: MessageView[];
  modal: ModalStateView | null;
}
