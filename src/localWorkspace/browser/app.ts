import type { ButtonView, MessageView, WorkspaceSnapshot } from '../view/WorkspaceView';
import { pageToken, post } from './api.js';
import { askConfirm, showModal } from './dialogs.js';
import { clear, el } from './dom.js';
import { renderMessage } from './renderMessage.js';

/**
 * The local workspace page: a Slack channel for portbot. Everything shown comes from the server's
 * snapshots (SSE); everything done is posted back and reaches Bolt as Slack would send it.
 */
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const ui = {
  switcher: $<HTMLSelectElement>('user-switcher'),
  sidebar: $('sidebar'),
  title: $('channel-title'),
  messages: $('messages'),
  composer: $<HTMLFormElement>('composer-form'),
  input: $<HTMLInputElement>('composer'),
  thread: $('thread-pane'),
  threadMessages: $('thread-messages'),
  threadClose: $('thread-close'),
  status: $('status'),
  confirm: $('confirm-root'),
  modal: $('modal-root'),
};

const state = {
  snapshot: null as WorkspaceSnapshot | null,
  user: new URLSearchParams(location.hash.slice(1)).get('user') ?? '',
  channel: '',
  thread: null as string | null,
  events: null as EventSource | null,
};

function say(text: string): void {
  ui.status.textContent = text;
}

function connect(): void {
  state.events?.close();
  const q = new URLSearchParams({ user: state.user, token: pageToken() });
  const events = new EventSource(`/workspace/events?${q.toString()}`);
  events.addEventListener('snapshot', (e) => {
    const snapshot = JSON.parse((e as MessageEvent<string>).data) as WorkspaceSnapshot;
    state.snapshot = snapshot;
    state.user = snapshot.user;
    render(snapshot);
  });
  events.addEventListener('error', () => say('Reconnecting to portbot…'));
  events.addEventListener('open', () => say(''));
  state.events = events;
}

async function press(m: MessageView, b: ButtonView): Promise<void> {
  if (b.confirm && !(await askConfirm(ui.confirm, b.confirm))) return;
  const answer = await post('click', {
    user: state.user,
    channel: m.channel,
    ts: m.ts,
    actionId: b.actionId,
    blockId: b.blockId,
  });
  if (!answer.ok) say(`The click did not reach portbot: ${answer.error ?? 'unknown error'}`);
}

const handlers = {
  onButton: (m: MessageView, b: ButtonView) => void press(m, b),
  onOpenThread: (ts: string) => {
    state.thread = ts;
    if (state.snapshot) render(state.snapshot);
  },
};

function render(s: WorkspaceSnapshot): void {
  document.body.dataset.user = s.user;
  renderSwitcher(s);
  if (!s.channels.some((c) => c.id === state.channel)) state.channel = s.channels[0]?.id ?? '';
  renderSidebar(s);
  const channel = s.channels.find((c) => c.id === state.channel);
  ui.title.textContent = channel
    ? channel.kind === 'dm'
      ? channel.name
      : `# ${channel.name}`
    : '';
  const inChannel = s.messages.filter((m) => m.channel === state.channel);
  const top = inChannel.filter((m) => m.threadTs === null || m.threadTs === m.ts);
  fill(
    ui.messages,
    top.map((m) => renderMessage(m, handlers, false)),
  );
  const thread = state.thread;
  const inThread = inChannel.filter((m) => m.ts === thread || m.threadTs === thread);
  ui.thread.hidden = thread === null || inThread.length === 0;
  fill(
    ui.threadMessages,
    inThread.map((m) => renderMessage(m, handlers, true)),
  );
  showModal(ui.modal, s.modal, {
    onSubmit: (values) => void submit(s.modal?.viewId ?? '', values),
    onClose: () => void post('close', { user: state.user, viewId: s.modal?.viewId ?? '' }),
    onButton: () => say('Buttons inside forms are not served on this page.'),
  });
}

/** Replaces a list's content, keeping it scrolled to the bottom when it was (new messages show). */
function fill(list: HTMLElement, items: HTMLElement[]): void {
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const keep = list.scrollTop;
  clear(list);
  list.append(...items);
  list.scrollTop = atBottom ? list.scrollHeight : keep;
}

function renderSwitcher(s: WorkspaceSnapshot): void {
  const key = s.users.map((u) => u.id).join(',');
  if (ui.switcher.dataset.users !== key) {
    clear(ui.switcher);
    for (const u of s.users) {
      ui.switcher.append(el('option', { value: u.id }, `${u.name} — ${u.roles.join(', ')}`));
    }
    ui.switcher.dataset.users = key;
  }
  ui.switcher.value = s.user;
}

function renderSidebar(s: WorkspaceSnapshot): void {
  clear(ui.sidebar);
  ui.sidebar.append(el('div', { class: 'team' }, s.team));
  for (const c of s.channels) {
    const b = el(
      'button',
      { type: 'button', class: `channel-link${c.id === state.channel ? ' active' : ''}` },
      c.kind === 'dm' ? `✉ ${c.name}` : `# ${c.name}`,
    );
    b.addEventListener('click', () => {
      state.channel = c.id;
      state.thread = null;
      render(s);
    });
    ui.sidebar.append(b);
  }
}

async function submit(viewId: string, values: Record<string, Record<string, string>>) {
  const answer = await post('submit', { user: state.user, viewId, values });
  if (!answer.ok) say(`The form did not reach portbot: ${answer.error ?? 'unknown error'}`);
}

ui.composer.addEventListener('submit', (e) => {
  e.preventDefault();
  const typed = ui.input.value.trim();
  const m = /^\/port(?:\s+([\s\S]*))?$/.exec(typed);
  if (!m) {
    say('Only the /port command is served on this page.');
    return;
  }
  void post('command', { user: state.user, channel: state.channel, text: m[1] ?? '' }).then((a) => {
    if (a.ok) ui.input.value = '';
    else say(`/port did not reach portbot: ${a.error ?? 'unknown error'}`);
  });
});
ui.switcher.addEventListener('change', () => {
  state.user = ui.switcher.value;
  history.replaceState(null, '', `#user=${encodeURIComponent(state.user)}`);
  connect();
});
ui.threadClose.addEventListener('click', () => {
  state.thread = null;
  if (state.snapshot) render(state.snapshot);
});
connect();
