import { obj, list, num, str, type Json } from './jsonShape';
import { parseMrkdwn, type NameOf } from './parseMrkdwn';
import type {
  BlockView,
  ButtonStyle,
  ButtonView,
  ConfirmView,
  Inline,
  InputView,
} from './WorkspaceView';

/** A Block Kit text object: mrkdwn parsed, plain_text as one text run. */
export function textView(v: unknown, nameOf: NameOf): Inline[] {
  const o = obj(v);
  const text = str(o?.text) ?? '';
  return o?.type === 'mrkdwn' ? parseMrkdwn(text, nameOf) : [{ t: 'text', text }];
}

/** plain_text as a string (titles, labels, button texts). */
export function plainOf(v: unknown): string {
  return str(obj(v)?.text) ?? '';
}

function styleOf(v: unknown): ButtonStyle {
  return v === 'primary' || v === 'danger' ? v : null;
}

function confirmView(v: unknown, nameOf: NameOf): ConfirmView | null {
  const o = obj(v);
  if (!o) return null;
  return {
    title: plainOf(o.title),
    text: textView(o.text, nameOf),
    confirm: plainOf(o.confirm) || 'Yes',
    deny: plainOf(o.deny) || 'Cancel',
    style: styleOf(o.style),
  };
}

function buttonView(v: unknown, blockId: string, nameOf: NameOf): ButtonView | null {
  const o = obj(v);
  if (o?.type !== 'button') return null;
  return {
    actionId: str(o.action_id) ?? '',
    blockId,
    value: str(o.value) ?? '',
    text: plainOf(o.text),
    style: styleOf(o.style),
    confirm: confirmView(o.confirm, nameOf),
  };
}

function inputView(b: Json, blockId: string): InputView | null {
  const el = obj(b.element);
  if (el?.type !== 'plain_text_input') return null;
  return {
    blockId,
    actionId: str(el.action_id) ?? '',
    label: plainOf(b.label),
    hint: b.hint === undefined ? null : plainOf(b.hint),
    optional: b.optional === true,
    multiline: el.multiline === true,
    placeholder: el.placeholder === undefined ? null : plainOf(el.placeholder),
    minLength: num(el.min_length),
    maxLength: num(el.max_length),
    initialValue: str(el.initial_value) ?? '',
  };
}

/**
 * One Block Kit block as the page draws it. Slack gives blocks without a block_id one of its
 * own, and so does this (by position), so a click reports a block_id as Slack's would.
 */
export function blockView(v: unknown, index: number, nameOf: NameOf): BlockView {
  const b = obj(v);
  const type = str(b?.type) ?? 'unknown';
  if (!b) return { kind: 'unsupported', type };
  const blockId = str(b.block_id) ?? `b${index}`;
  switch (type) {
    case 'header':
      return { kind: 'header', text: plainOf(b.text) };
    case 'section':
      return {
        kind: 'section',
        text: b.text === undefined ? null : textView(b.text, nameOf),
        fields: list(b.fields).map((f) => textView(f, nameOf)),
        accessory: buttonView(b.accessory, blockId, nameOf),
      };
    case 'context':
      return { kind: 'context', elements: list(b.elements).map((e) => textView(e, nameOf)) };
    case 'divider':
      return { kind: 'divider' };
    case 'actions':
      return {
        kind: 'actions',
        blockId,
        buttons: list(b.elements).flatMap((e) => buttonView(e, blockId, nameOf) ?? []),
      };
    case 'input': {
      const input = inputView(b, blockId);
      return input ? { kind: 'input', input } : { kind: 'unsupported', type: 'input' };
    }
    default:
      return { kind: 'unsupported', type };
  }
}

export function blockViews(blocks: unknown, nameOf: NameOf): BlockView[] {
  return list(blocks).map((b, i) => blockView(b, i, nameOf));
}
