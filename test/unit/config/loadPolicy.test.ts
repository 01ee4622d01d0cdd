import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy } from '../../../src/config/loadPolicy';
import { READ_ONLY_POLICY } from '../../../src/config/PolicySchema';

const dir = mkdtempSync(join(tmpdir(), 'portbot-policy-'));
const policyFile = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('loadPolicy', () => {
  it('a missing file means the read-only defaults', () => {
    expect(loadPolicy(join(dir, 'absent.yaml')).policy).toEqual(READ_ONLY_POLICY);
  });

  it.each([
    ['broken YAML', 'commands: [unclosed', /broken\.yaml: /],
    ['a schema violation', 'commands: 42\n', /^invalid policy \(1 problems\)/],
  ])('%s fails with POLICY_INVALID', (_what, text, message) => {
    const file = policyFile(_what === 'broken YAML' ? 'broken.yaml' : 'wrong.yaml', text);
    expect(() => loadPolicy(file)).toThrow(
      expect.objectContaining({ code: 'POLICY_INVALID', message: expect.stringMatching(message) }),
    );
  });
});
