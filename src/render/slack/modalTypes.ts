import type { Block, PlainTextObject } from './blockKitTypes';

/** The Block Kit a modal adds to messages' blocks (views.open), structurally like @slack/types. */
export interface PlainTextInputElement {
  type: 'plain_text_input';
  action_id: string;
  multiline?: boolean;
  min_length?: number;
  max_length?: number;
  placeholder?: PlainTextObject;
}

export interface InputBlock {
  type: 'input';
  block_id: string;
  label: PlainTextObject;
  element: PlainTextInputElement;
  optional?: boolean;
  hint?: PlainTextObject;
}

export interface ModalView {
  type: 'modal';
  callback_id: string;
  title: PlainTextObject;
  submit: PlainTextObject;
  close: PlainTextObject;
  /** Opaque to Slack; portbot puts only what it re-checks on submission. */
  private_metadata: string;
  blocks: (Block | InputBlock)[];
}
