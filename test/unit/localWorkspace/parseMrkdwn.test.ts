import { parseMrkdwn, safeHref } from '../../../src/localWorkspace/view/parseMrkdwn';
import type { Inline } from '../../../src/localWorkspace/view/WorkspaceView';

/** Every string the page would put into text nodes, in order. */
function texts(items: readonly Inline[]): string[] {
  return items.flatMap((i) =>
    'children' in i ? texts(i.children) : 'text' in i ? [i.text] : 'label' in i ? [i.label] : [],
  );
}

describe('parseMrkdwn', () => {
  it.each([
    ['*bold*', [{ t: 'bold', children: [{ t: 'text', text: 'bold' }] }]],
    ['_it_', [{ t: 'italic', children: [{ t: 'text', text: 'it' }] }]],
    ['~gone~', [{ t: 'strike', children: [{ t: 'text', text: 'gone' }] }]],
    ['`ss -H`', [{ t: 'code', text: 'ss -H' }]],
    ['```\nline 1\nline 2\n```', [{ t: 'pre', text: 'line 1\nline 2' }]],
    ['a\nb', [{ t: 'text', text: 'a' }, { t: 'br' }, { t: 'text', text: 'b' }]],
  ])('%j', (source, expected) => {
    expect(parseMrkdwn(source)).toEqual(expected);
  });

  it("decodes Slack's three escapes after parsing: an escaped mention is text, not a mention", () => {
    expect(parseMrkdwn('&lt;@U0BOB&gt; &amp;lt; a&amp;b')).toEqual([
      { t: 'text', text: '<@U0BOB> &lt; a&b' },
    ]);
    expect(parseMrkdwn('`&lt;b&gt;`')).toEqual([{ t: 'code', text: '<b>' }]);
  });

  it('keeps HTML from hosts and people as text, whatever the markup (escaped, as portbot sends it)', () => {
    const evil = '<img src=x onerror=alert(1)> <script>alert(2)</script> "quoted" \'single\'';
    const escaped = evil.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    for (const source of [escaped, `*${escaped}*`, `\`${escaped}\``, `\`\`\`${escaped}\`\`\``]) {
      expect(texts(parseMrkdwn(source)).join('')).toBe(evil);
    }
  });

  it("a mention's id with markup stays a label (slack-markdown's own toHTML would emit it as HTML)", () => {
    const [m] = parseMrkdwn('<@U1<img src=x onerror=alert(1)//>');
    expect(m).toEqual({
      t: 'mention',
      kind: 'user',
      id: 'U1<img src=x onerror=alert(1)//',
      label: '@U1<img src=x onerror=alert(1)//',
    });
  });

  it('names users and channels it knows; unknown ids are shown as they are', () => {
    const names = new Map([
      ['U0ALICE', 'alice'],
      ['C0ALERTS', 'alerts'],
    ]);
    const parsed = parseMrkdwn('<@U0ALICE> <@U0NOBODY> <#C0ALERTS> <!here>', (id) => names.get(id));
    expect(
      parsed.filter((i) => i.t === 'mention').map((i) => ('label' in i ? i.label : '')),
    ).toEqual(['@alice', '@U0NOBODY', '#alerts', '@here']);
  });

  it('links http(s) and mailto only; any other target is its label as text', () => {
    expect(parseMrkdwn('<https://example.org/a?b=1&amp;c=2|docs>')).toEqual([
      { t: 'link', href: 'https://example.org/a?b=1&c=2', children: [{ t: 'text', text: 'docs' }] },
    ]);
    expect(JSON.stringify(parseMrkdwn('<javascript:alert(1)|click>'))).not.toContain('"link"');
    expect(safeHref('JavaScript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<b>')).toBeNull();
    expect(safeHref('mailto:ops@example.org')).toBe('mailto:ops@example.org');
  });

  it('turns known :emoji: codes into the emoji and leaves unknown ones as typed', () => {
    expect(texts(parseMrkdwn(':tada: :no_such_emoji:')).join('')).toBe('🎉 :no_such_emoji:');
  });
});
