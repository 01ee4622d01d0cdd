import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellQuote } from '../../../src/probes/shellQuote';
import { errorOf } from './fixture';

const HOSTILE = [
  '80; touch /tmp/pwned',
  '$(id)',
  '`id`',
  "it's",
  "'; touch x; '",
  'a\nb; touch x',
  '"$HOME" $PATH \\ * ? ~ & | > <',
  '',
  '-n',
];

describe('shellQuote', () => {
  it('wraps in single quotes and splices embedded single quotes', () => {
    expect(shellQuote('abc')).toBe("'abc'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });

  it('refuses NUL', () => {
    expect(errorOf(() => shellQuote('a\0b'))).toMatchObject({ code: 'INTERNAL' });
  });

  it.each(['/bin/sh', '/bin/bash'])(
    '%s reads each hostile value as one literal argument and runs nothing',
    (sh) => {
      const dir = mkdtempSync(join(tmpdir(), 'pbquote-'));
      for (const value of HOSTILE) {
        // printf prints each argument NUL-terminated: exactly one argument must come back, unchanged.
        const script = `printf '%s\\0' ${shellQuote(value)}`;
        const out = execFileSync(sh, ['-c', script], { cwd: dir, encoding: 'utf8' });
        expect(out).toBe(`${value}\0`);
      }
      expect(readdirSync(dir)).toEqual([]);
      expect(existsSync('/tmp/pwned')).toBe(false);
    },
  );
});
