import type { ButtonView, ConfirmView, ModalStateView } from '../view/WorkspaceView';
import { clear, el } from './dom.js';
import { renderBlocks } from './renderBlocks.js';
import { renderInline } from './renderInline.js';

/** A button's confirm dialog, as Slack shows it before sending the click; resolves with the choice. */
export function askConfirm(root: HTMLElement, c: ConfirmView): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (yes: boolean) => {
      clear(root);
      root.hidden = true;
      resolve(yes);
    };
    const yes = el(
      'button',
      { class: `bk-button ${c.style ?? 'primary'}`, type: 'button' },
      c.confirm,
    );
    const no = el('button', { class: 'bk-button', type: 'button' }, c.deny);
    yes.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    clear(root);
    root.append(
      el(
        'div',
        { class: 'dialog', role: 'dialog', 'aria-label': c.title },
        el('div', { class: 'dialog-title' }, c.title),
        el('div', { class: 'dialog-text' }, ...renderInline(c.text)),
        el('div', { class: 'dialog-buttons' }, no, yes),
      ),
    );
    root.hidden = false;
  });
}

export interface ModalHandlers {
  onSubmit: (values: Record<string, Record<string, string>>) => void;
  onClose: () => void;
  onButton: (b: ButtonView) => void;
}

/**
 * The open modal. Rebuilt only when another view opens; a new snapshot with errors keeps what the
 * user typed (the inputs are kept, only the error lines change).
 */
export function showModal(root: HTMLElement, modal: ModalStateView | null, h: ModalHandlers): void {
  const shown = root.dataset.viewId ?? '';
  const errorsKey = JSON.stringify(modal?.errors ?? {});
  if (!modal) {
    clear(root);
    root.hidden = true;
    delete root.dataset.viewId;
    return;
  }
  if (shown === modal.viewId && root.dataset.errors === errorsKey) return;
  const typed = readValues(root);
  clear(root);
  const form = el('form', { class: 'dialog modal', role: 'dialog', 'aria-label': modal.title });
  const cancel = el('button', { class: 'bk-button', type: 'button' }, modal.close);
  cancel.addEventListener('click', () => h.onClose());
  form.append(
    el('div', { class: 'dialog-title' }, modal.title),
    renderBlocks(modal.blocks, h.onButton, modal.errors),
    el(
      'div',
      { class: 'dialog-buttons' },
      cancel,
      modal.submit
        ? el('button', { class: 'bk-button primary', type: 'submit' }, modal.submit)
        : null,
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    h.onSubmit(readValues(root));
  });
  root.append(form);
  if (shown === modal.viewId) restoreValues(root, typed);
  root.dataset.viewId = modal.viewId;
  root.dataset.errors = errorsKey;
  root.hidden = false;
  root.querySelector<HTMLInputElement>('.bk-input')?.focus();
}

function inputs(root: HTMLElement): (HTMLInputElement | HTMLTextAreaElement)[] {
  return [...root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('.bk-input')];
}

function readValues(root: HTMLElement): Record<string, Record<string, string>> {
  const values: Record<string, Record<string, string>> = {};
  for (const i of inputs(root)) {
    const block = i.dataset.blockId ?? '';
    values[block] = { ...values[block], [i.dataset.actionId ?? '']: i.value };
  }
  return values;
}

function restoreValues(root: HTMLElement, values: Record<string, Record<string, string>>): void {
  for (const i of inputs(root)) {
    const v = values[i.dataset.blockId ?? '']?.[i.dataset.actionId ?? ''];
    if (v !== undefined) i.value = v;
  }
}
