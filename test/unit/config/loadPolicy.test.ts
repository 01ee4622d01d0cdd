import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy } from '../../../src/config/loadPolicy';
import { PortbotError } from '../../../src/domain/PortbotError';
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
    ['broken.yaml', 'commands: [unclosed', /broken\.yaml: /],
    ['wrong.yaml', 'commands: 42\n', /^invalid policy \(1 problems\)/],
  ])('%s fails with POLICY_INVALID', (name, text, message) => {
    let caught: unknown;
    try {
      loadPolicy(policyFile(name, text));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PortbotError);
    expect((caught as PortbotError).code).toBe('POLICY_INVALID');
    expect((caught as PortbotError).message).toMatch(message);
  });
});
