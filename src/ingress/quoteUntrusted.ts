function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

export function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) return true;
  return false;
}

/**
 * Chat and alert text echoed back in a message: quoted, on one line (control characters
 * shown as '?'), and cut at `max` characters so a huge value cannot flood a reply or a log.
 */
export function quoteUntrusted(text: string, max: number): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  let line = '';
  for (const ch of cut) line += isControl(ch.charCodeAt(0)) ? '?' : ch;
  return `'${line}'`;
}
