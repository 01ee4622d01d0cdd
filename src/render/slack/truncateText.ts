const ENTITY_TAIL = /&[a-z]{0,4}$/;

/** `1,234`: fixed locale so golden files do not depend on the machine. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * `text` if it fits in `max` characters; otherwise a prefix cut on a line boundary when one is
 * near the limit, followed by `… truncated N chars; <note>`. The result never exceeds `max`,
 * never splits a surrogate pair or an HTML entity (`&amp;`) that escaping produced.
 */
export function truncateText(text: string, max: number, note?: string): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  // The marker's own length depends on the count; size it for the worst case (all removed).
  const marker = (removed: number): string =>
    `… truncated ${formatCount(removed)} chars${note ? `; ${note}` : ''}`;
  const room = max - marker(text.length).length - 1;
  if (room <= 0) return safeCut(marker(text.length), max);

  let cut = safeCut(text, room);
  const newline = cut.lastIndexOf('\n');
  // Prefer whole lines, unless that throws away most of what fits.
  if (newline >= room / 2) cut = cut.slice(0, newline);
  cut = cut.replace(/\s+$/, '');
  const separator = cut.length === 0 ? '' : '\n';
  return `${cut}${separator}${marker(text.length - cut.length)}`;
}

/** Cut to at most `max` code units without ending inside a surrogate pair or an entity. */
export function safeCut(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max));
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  const entity = ENTITY_TAIL.exec(cut);
  if (entity) {
    const semicolon = text.indexOf(';', entity.index);
    if (semicolon >= cut.length && semicolon - entity.index <= 5) cut = cut.slice(0, entity.index);
  }
  return cut;
}

/** `text`, or its first `max - 1` characters and an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${safeCut(text, max - 1)}…` : text;
}
