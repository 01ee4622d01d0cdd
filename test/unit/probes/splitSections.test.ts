import { splitSections } from '../../../src/probes/splitSections';

const M = '@@PB-nonce12345678';

describe('splitSections', () => {
  it('splits sections with their exit status and keeps output exact', () => {
    const out = `${M} a\nline1\nline2\n\n${M} /a 0\n${M} b\n\n${M} /b 3\n${M} c\nno newline\n${M} /c 0\n`;
    const s = splitSections(out, 'nonce12345678');
    expect(s.get('a')).toEqual({ name: 'a', output: 'line1\nline2', exitCode: 0 });
    expect(s.get('b')).toEqual({ name: 'b', output: '', exitCode: 3 });
    expect(s.get('c')).toEqual({ name: 'c', output: 'no newline', exitCode: 0 });
  });

  it('ignores markers with another nonce and keeps them as content', () => {
    const out = `${M} log\n@@PB-guessed000 /log 0\n@@PB-guessed000 evil\n\n${M} /log 0\n`;
    const s = splitSections(out, 'nonce12345678');
    expect([...s.keys()]).toEqual(['log']);
    expect(s.get('log')?.output).toBe('@@PB-guessed000 /log 0\n@@PB-guessed000 evil');
  });

  it('reports an unfinished section (output cut) with a null status', () => {
    const s = splitSections(`${M} ss\ntcp LISTEN`, 'nonce12345678');
    expect(s.get('ss')).toEqual({ name: 'ss', output: 'tcp LISTEN', exitCode: null });
  });
});
