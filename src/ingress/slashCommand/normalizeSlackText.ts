// Slack wraps auto-linked text as <url|label> or <url>; only links (scheme:…) are unwrapped,
// so user and channel mentions (<@U…>, <#C…|name>) stay visible and are rejected later.
const LINK = /<([A-Za-z][A-Za-z0-9+.-]*:[^<>|\s]*)(?:\|([^<>]*))?>/g;
const SMART_DOUBLE = /[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g;
const SMART_SINGLE = /[\u2018\u2019\u201a\u201b\u2032]/g;
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
// horizontal space only: a newline is kept so the parser can refuse multi-line input
const SPACES = /[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+/g;

function unlink(_match: string, url: string, label: string | undefined): string {
  if (label !== undefined && label !== '') return label;
  return url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/)?/, '').replace(/\/$/, '');
}

/**
 * Undoes what Slack does to typed text before `/port` sees it: link markup, the three HTML
 * entities Slack escapes, smart quotes, non-breaking and zero-width spaces, repeated spaces.
 */
export function normalizeSlackText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(LINK, unlink)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(SMART_DOUBLE, '"')
    .replace(SMART_SINGLE, "'")
    .replace(ZERO_WIDTH, '')
    .replace(SPACES, ' ')
    .replace(/ ?\n ?/g, '\n')
    .trim();
}
