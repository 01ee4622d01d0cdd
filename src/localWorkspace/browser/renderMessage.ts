import type { ButtonView, MessageView } from '../view/WorkspaceView';
import { el } from './dom.js';
import { renderBlocks } from './renderBlocks.js';

export interface MessageHandlers {
  onButton: (m: MessageView, b: ButtonView) => void;
  onOpenThread: (ts: string) => void;
}

function timeOf(ts: string): string {
  const d = new Date(Number(ts.split('.')[0]) * 1000);
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** One message: author, time, blocks, "edited", the thread link on a root with replies. */
export function renderMessage(m: MessageView, h: MessageHandlers, inThread: boolean): HTMLElement {
  const replies =
    !inThread && m.replyCount > 0
      ? el(
          'button',
          { class: 'thread-link', type: 'button' },
          `${m.replyCount} ${m.replyCount === 1 ? 'reply' : 'replies'}`,
        )
      : null;
  replies?.addEventListener('click', () => h.onOpenThread(m.ts));
  return el(
    'div',
    {
      class: `message${m.ephemeral ? ' ephemeral' : ''}`,
      'data-ts': m.ts,
      'data-channel': m.channel,
    },
    el(
      'div',
      { class: 'message-meta' },
      el('span', { class: 'author' }, m.author),
      el('span', { class: 'app-badge' }, 'APP'),
      el('span', { class: 'time' }, timeOf(m.ts)),
      m.edited ? el('span', { class: 'edited' }, '(edited)') : null,
      m.ephemeral ? el('span', { class: 'only-you' }, 'Only visible to you') : null,
    ),
    renderBlocks(m.blocks, (b) => h.onButton(m, b)),
    replies,
  );
}
