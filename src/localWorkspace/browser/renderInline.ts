import type { Inline } from '../view/WorkspaceView';
import { el } from './dom.js';

/** Parsed mrkdwn as DOM: every string goes in as a text node. */
export function renderInline(items: readonly Inline[]): Node[] {
  return items.map(renderOne);
}

function renderOne(i: Inline): Node {
  switch (i.t) {
    case 'text':
      return document.createTextNode(i.text);
    case 'bold':
      return el('strong', {}, ...renderInline(i.children));
    case 'italic':
      return el('em', {}, ...renderInline(i.children));
    case 'strike':
      return el('s', {}, ...renderInline(i.children));
    case 'quote':
      return el('blockquote', {}, ...renderInline(i.children));
    case 'code':
      return el('code', {}, i.text);
    case 'pre':
      return el('pre', {}, i.text);
    case 'link':
      // The view allows http(s) and mailto only; opened away from the page.
      return el(
        'a',
        { href: i.href, target: '_blank', rel: 'noopener noreferrer' },
        ...renderInline(i.children),
      );
    case 'mention':
      return el('span', { class: `mention mention-${i.kind}` }, i.label);
    case 'br':
      return el('br');
  }
}
