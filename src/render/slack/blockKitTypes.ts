/**
 * The subset of Block Kit that portbot renders. Defined here rather than imported from
 * @slack/types so the renderer stays free of Slack packages; the shapes are structurally
 * compatible with @slack/types' KnownBlock (a unit test checks the assignment).
 */
export interface PlainTextObject {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

export interface MrkdwnObject {
  type: 'mrkdwn';
  text: string;
  /** true: Slack does not auto-link URLs, channel names or bare mentions in host-supplied text. */
  verbatim?: boolean;
}

export type TextObject = PlainTextObject | MrkdwnObject;

export interface ConfirmDialog {
  title: PlainTextObject;
  text: TextObject;
  confirm: PlainTextObject;
  deny: PlainTextObject;
  style?: 'primary' | 'danger';
}

export interface ButtonElement {
  type: 'button';
  text: PlainTextObject;
  action_id: string;
  value?: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmDialog;
}

export interface HeaderBlock {
  type: 'header';
  text: PlainTextObject;
  block_id?: string;
}

export interface SectionBlock {
  type: 'section';
  text?: TextObject;
  fields?: TextObject[];
  block_id?: string;
}

export interface ContextBlock {
  type: 'context';
  elements: TextObject[];
  block_id?: string;
}

export interface DividerBlock {
  type: 'divider';
  block_id?: string;
}

export interface ActionsBlock {
  type: 'actions';
  elements: ButtonElement[];
  block_id?: string;
}

export type Block = HeaderBlock | SectionBlock | ContextBlock | DividerBlock | ActionsBlock;

/** What chat.postMessage / chat.update take: `text` is the notification and screen-reader fallback. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}
