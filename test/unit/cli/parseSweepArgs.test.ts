import { parseSweepArgs } from '../../../src/cli/parseSweepArgs';

const usageError = (argv: string[]): string => {
  try {
    parseSweepArgs(argv);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('parseSweepArgs', () => {
  it('every host by default or with --all; one group with --group', () => {
    expect(parseSweepArgs([])).toMatchObject({
      scope: { kind: 'all' },
      json: false,
      concurrency: 20,
    });
    expect(parseSweepArgs(['--all', '--json', '-c', '50'])).toMatchObject({
      scope: { kind: 'all' },
      json: true,
      concurrency: 50,
    });
    expect(parseSweepArgs(['--group', 'edge', '-i', 'inv.yaml'])).toMatchObject({
      scope: { kind: 'group', group: 'edge' },
      inventory: 'inv.yaml',
    });
  });

  it('refuses both scopes, positionals and a bad concurrency, with the usage', () => {
    expect(usageError(['--all', '--group', 'edge'])).toMatch(
      /cannot be combined[\s\S]*portbot sweep/,
    );
    expect(usageError(['lb-01'])).toMatch(/portbot sweep \[--group G \| --all\]/);
    expect(usageError(['--concurrency', '0'])).toContain('--concurrency must be an integer 1-500');
  });
});
