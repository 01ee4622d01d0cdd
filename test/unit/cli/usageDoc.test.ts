import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { USAGE } from '../../../src/cli/usage';

const cliDoc = readFileSync(resolve(__dirname, '../../../docs/reference/cli.md'), 'utf8');

describe('docs/reference/cli.md', () => {
  it('shows the usage text portbot prints, line for line', () => {
    const synopsis = /^```\n([\s\S]*?)```$/m.exec(cliDoc)?.[1];
    const usageLines = USAGE.slice(USAGE.indexOf('usage:\n') + 'usage:\n'.length)
      .split('\n')
      .map((line) => line.replace(/^ {2}/, ''));
    expect(synopsis?.trimEnd().split('\n')).toEqual(usageLines);
  });
});
