import { parserFor, type SingleASTNode } from 'simple-markdown';
import { rules } from 'slack-markdown';
import type { Inline } from './WorkspaceView';

/**
 * slack-markdown's rules (Slack's mrkdwn: *bold*, _italic_, ~strike~, `code`, ``` blocks, >
 * quotes, <links|labels>, <@U…> mentions, :emoji:) with simple-markdown's parser: its syntax
 * tree, never its HTML. Its toHTML puts a mention's id into the markup unescaped
 * (`<@U1<img src=x onerror=…>` comes out as an img tag), so the page draws the tree as text.
 */
const parse = parserFor(rules);

/** Names of users and channels for mentions; unknown ids are shown as they are. */
export type NameOf = (id: string) => string | undefined;

/** mrkdwn text as portbot sent it (with Slack's &amp; &lt; &gt; escapes) → inline tree. */
export function parseMrkdwn(text: string, nameOf: NameOf = () => undefined): Inline[] {
  return toInline(parse(text, { inline: true, inQuote: false }), nameOf);
}

/** Slack escapes exactly these three in mrkdwn; they are shown as the characters they stand for. */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** http(s) and mailto only: a javascript: or data: target stays text. */
export function safeHref(target: string): string | null {
  const href = decodeSlackEntities(target).trim();
  return /^(https?:\/\/|mailto:)/i.test(href) ? href : null;
}

/**
 * The parser splits text at every punctuation mark (`&lt;` arrives as "&", "lt", ";"): runs of
 * text are joined before Slack's escapes are decoded, so an escape is never seen in pieces.
 */
function toInline(nodes: readonly SingleASTNode[], nameOf: NameOf): Inline[] {
  const out: Inline[] = [];
  let run = '';
  const flush = () => {
    if (run !== '') out.push({ t: 'text', text: decodeSlackEntities(run) });
    run = '';
  };
  for (const n of nodes) {
    const raw = plainRun(n);
    if (raw !== null) {
      run += raw;
      continue;
    }
    flush();
    out.push(...nodeToInline(n, nameOf));
  }
  flush();
  return out;
}

/** The raw text of a text-like node (text, an escaped underscore, an emoji); null for others. */
function plainRun(node: SingleASTNode): string | null {
  const content: unknown = node.content;
  return TEXT_LIKE.has(node.type) && typeof content === 'string' ? content : null;
}

const TEXT_LIKE = new Set(['text', 'noem', 'emoji']);

function children(node: SingleASTNode, nameOf: NameOf): Inline[] {
  const c: unknown = node.content;
  if (typeof c === 'string') return c === '' ? [] : [{ t: 'text', text: decodeSlackEntities(c) }];
  return Array.isArray(c) ? toInline(c as SingleASTNode[], nameOf) : [];
}

/** The plain text of parsed content: a mention's or a date's label. */
function flatText(node: SingleASTNode, nameOf: NameOf): string {
  return children(node, nameOf)
    .map((i) => ('text' in i ? i.text : 'label' in i ? i.label : ''))
    .join('');
}

function nodeToInline(node: SingleASTNode, nameOf: NameOf): Inline[] {
  const content: unknown = node.content;
  const raw = typeof content === 'string' ? content : '';
  switch (node.type) {
    case 'strong':
      return [{ t: 'bold', children: children(node, nameOf) }];
    case 'em':
      return [{ t: 'italic', children: children(node, nameOf) }];
    case 'strike':
      return [{ t: 'strike', children: children(node, nameOf) }];
    case 'blockQuote':
      return [{ t: 'quote', children: children(node, nameOf) }];
    case 'inlineCode':
      return [{ t: 'code', text: decodeSlackEntities(raw) }];
    case 'codeBlock':
      // Slack drops the line break right after the opening ``` and before the closing one.
      return [{ t: 'pre', text: decodeSlackEntities(raw.replace(/^\n/, '').replace(/\n$/, '')) }];
    case 'br':
    case 'newline':
      return [{ t: 'br' }];
    case 'autolink':
    case 'url': {
      const target: unknown = node.target;
      const href = typeof target === 'string' ? safeHref(target) : null;
      const label = children(node, nameOf);
      return href ? [{ t: 'link', href, children: label }] : label;
    }
    case 'slackUser':
    case 'slackChannel':
    case 'slackUserGroup':
      return [mention(node, nameOf)];
    case 'slackAtHere':
    case 'slackAtChannel':
    case 'slackAtEveryone': {
      const word = node.type.slice('slackAt'.length).toLowerCase();
      const label = flatText(node, nameOf) || word;
      return [{ t: 'mention', kind: 'special', id: word, label: `@${label}` }];
    }
    case 'slackDate':
      return [{ t: 'text', text: flatText(node, nameOf) }];
    default:
      // A rule this code does not know: its content, as text.
      return Array.isArray(content)
        ? children(node, nameOf)
        : [{ t: 'text', text: decodeSlackEntities(raw) }];
  }
}

function mention(node: SingleASTNode, nameOf: NameOf): Inline {
  const idValue: unknown = node.id;
  const id = decodeSlackEntities(typeof idValue === 'string' ? idValue : '');
  const given = flatText(node, nameOf);
  if (node.type === 'slackChannel') {
    return { t: 'mention', kind: 'channel', id, label: `#${given || nameOf(id) || id}` };
  }
  const kind = node.type === 'slackUser' ? 'user' : 'group';
  return { t: 'mention', kind, id, label: `@${given || (kind === 'user' && nameOf(id)) || id}` };
}
