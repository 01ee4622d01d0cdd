import { clip, safeCut, truncateText } from '../../../../src/render/slack/truncateText';

describe('truncateText', () => {
  it('returns text that fits unchanged', () => {
    expect(truncateText('short', 10, 'note')).toBe('short');
    expect(truncateText('x'.repeat(10), 10)).toBe('x'.repeat(10));
  });

  it('cuts on a line boundary and says how much was cut, with the note', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const out = truncateText(text, 200, 'full evidence: `--json`');
    expect(out.length).toBeLessThanOrEqual(200);
    const [kept, marker] = [
      out.slice(0, out.lastIndexOf('\n')),
      out.slice(out.lastIndexOf('\n') + 1),
    ];
    expect(text.startsWith(kept)).toBe(true);
    expect(kept.endsWith(`line ${kept.split('\n').length - 1}`)).toBe(true); // a whole line
    expect(marker).toBe(
      `… truncated ${(text.length - kept.length).toLocaleString('en-US')} chars; full evidence: \`--json\``,
    );
  });

  it('writes the count with thousands separators', () => {
    const out = truncateText('y'.repeat(5000), 100);
    expect(out).toMatch(/… truncated 4,9\d\d chars$/);
    expect(out.length).toBeLessThanOrEqual(100);
  });

  it('cuts mid-line when the only newline is too early to keep much', () => {
    const text = `a\n${'b'.repeat(1000)}`;
    const out = truncateText(text, 300);
    expect(out.startsWith(`a\n${'b'.repeat(200)}`)).toBe(true);
    expect(out.length).toBeLessThanOrEqual(300);
  });

  it('stays within max even when the note alone is longer', () => {
    const out = truncateText('z'.repeat(100), 20, 'a very long note that does not fit at all');
    expect(out.length).toBeLessThanOrEqual(20);
  });

  it('never splits a surrogate pair or an escaped entity', () => {
    expect(safeCut('ab😀', 3)).toBe('ab');
    expect(safeCut('ab&amp;c', 5)).toBe('ab');
    expect(safeCut('ab&amp;c', 7)).toBe('ab&amp;');
    expect(clip('abcdef', 4)).toBe('abc…');
    const out = truncateText(`${'&lt;'.repeat(500)}`, 103);
    expect(out.split('\n')[0]).toMatch(/^(&lt;)+$/);
  });
});
