import type { BlockView, ButtonView, InputView } from '../view/WorkspaceView';
import { el } from './dom.js';
import { renderInline } from './renderInline.js';

export type OnButton = (button: ButtonView) => void;

/** Block Kit blocks as Slack lays them out; buttons call `onButton`, inputs are named for submit. */
export function renderBlocks(
  blocks: readonly BlockView[],
  onButton: OnButton,
  errors: Record<string, string> = {},
): HTMLElement {
  return el('div', { class: 'blocks' }, ...blocks.map((b) => renderBlock(b, onButton, errors)));
}

function renderBlock(b: BlockView, onButton: OnButton, errors: Record<string, string>): Node {
  switch (b.kind) {
    case 'header':
      return el('div', { class: 'bk-header' }, b.text);
    case 'section':
      return el(
        'div',
        { class: 'bk-section' },
        b.text ? el('div', { class: 'bk-text' }, ...renderInline(b.text)) : null,
        b.fields.length > 0
          ? el(
              'div',
              { class: 'bk-fields' },
              ...b.fields.map((f) => el('div', { class: 'bk-field' }, ...renderInline(f))),
            )
          : null,
        b.accessory ? renderButton(b.accessory, onButton) : null,
      );
    case 'context':
      return el(
        'div',
        { class: 'bk-context' },
        ...b.elements.map((e) => el('span', {}, ...renderInline(e))),
      );
    case 'divider':
      return el('hr', { class: 'bk-divider' });
    case 'actions':
      return el('div', { class: 'bk-actions' }, ...b.buttons.map((x) => renderButton(x, onButton)));
    case 'input':
      return renderInput(b.input, errors[b.input.blockId]);
    case 'unsupported':
      return el('div', { class: 'bk-unsupported' }, `[${b.type} block: not shown on this page]`);
  }
}

function renderButton(b: ButtonView, onButton: OnButton): HTMLButtonElement {
  const button = el('button', { class: `bk-button ${b.style ?? ''}`, type: 'button' }, b.text);
  button.addEventListener('click', () => onButton(b));
  return button;
}

function renderInput(i: InputView, error: string | undefined): HTMLElement {
  const id = `input-${i.blockId}`;
  const attrs: Record<string, string> = {
    id,
    'data-block-id': i.blockId,
    'data-action-id': i.actionId,
    class: 'bk-input',
  };
  if (i.placeholder) attrs.placeholder = i.placeholder;
  if (i.maxLength !== null) attrs.maxlength = String(i.maxLength);
  const field = i.multiline ? el('textarea', attrs) : el('input', { ...attrs, type: 'text' });
  field.value = i.initialValue;
  return el(
    'div',
    { class: 'bk-input-block' },
    el('label', { for: id }, i.label, i.optional ? ' (optional)' : ''),
    field,
    i.hint ? el('div', { class: 'bk-hint' }, i.hint) : null,
    error ? el('div', { class: 'bk-error', role: 'alert' }, error) : null,
  );
}
