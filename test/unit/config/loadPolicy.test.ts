import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy } from '../../../src/config/loadPolicy';
import { PortbotError } from '../../../src/domain/PortbotError';
import { READ_ONLY_POLICY } from '../../../src/config/PolicySchema';
import { termWaitMs } from '../../../src/domain/Policy';

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

  it('the SIGTERM wait of a kill: 5 s by default, the policy can change it within 1-300 s', () => {
    expect(termWaitMs(READ_ONLY_POLICY)).toBe(5000);
    const set = loadPolicy(policyFile('wait.yaml', 'remediation:\n  termWaitSeconds: 30\n'));
    expect(termWaitMs(set.policy)).toBe(30_000);
    const dflt = loadPolicy(policyFile('dflt.yaml', 'remediation: {}\n'));
    expect(dflt.policy.remediation?.termWaitSeconds).toBe(5);
    expect(() =>
      loadPolicy(policyFile('far.yaml', 'remediation:\n  termWaitSeconds: 301\n')),
    ).toThrow(/termWaitSeconds/);
  });
});
