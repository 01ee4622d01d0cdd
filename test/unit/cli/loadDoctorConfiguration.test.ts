import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDoctorConfiguration } from '../../../src/cli/loadDoctorConfiguration';

const dir = mkdtempSync(join(tmpdir(), 'portbot-doctor-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const remediationPolicy = file(
  'remediation.yaml',
  'remediation:\n  requesters: { users: ["U0REQ"] }\n  approvers: { users: ["U0APP"] }\n',
);
const readOnlyPolicy = file('read-only.yaml', 'commands:\n  users: ["U0REQ"]\n');
const args = (policy: string) => ({ policy, inventory: join(dir, 'none.yaml') });
const policyLine = (env: Record<string, string>, policy: string) =>
  loadDoctorConfiguration(args(policy), env).checks.find((c) => c.check === 'policy');

describe('doctor: the policy check and PORTBOT_APPROVAL_KEY', () => {
  it('fails a policy that enables remediation when the key is missing, as serve would', () => {
    const line = policyLine({}, remediationPolicy);
    expect(line?.status).toBe('fail');
    expect(line?.detail).toContain('PORTBOT_APPROVAL_KEY is required');
  });

  it('passes the same policy once the key is set', () => {
    const line = policyLine({ PORTBOT_APPROVAL_KEY: 'k'.repeat(40) }, remediationPolicy);
    expect(line?.status).toBe('ok');
    expect(line?.detail).toContain('remediation on');
  });

  it('a read-only policy needs no key', () => {
    expect(policyLine({}, readOnlyPolicy)?.status).toBe('ok');
  });
});

describe('doctor: which Redis it checks without REDIS_URL', () => {
  const redisUrlOf = (env: Record<string, string>) =>
    loadDoctorConfiguration(args(readOnlyPolicy), env).env?.REDIS_URL;

  it('the one serve and worker use: 127.0.0.1 at PORTBOT_EMBEDDED_REDIS_PORT', () => {
    expect(redisUrlOf({ PORTBOT_EMBEDDED_REDIS_PORT: '6390' })).toBe('redis://127.0.0.1:6390');
    expect(redisUrlOf({})).toBe('redis://127.0.0.1:6379');
    // read as serve reads it (the schema trims and coerces)
    expect(redisUrlOf({ PORTBOT_EMBEDDED_REDIS_PORT: ' 6390' })).toBe('redis://127.0.0.1:6390');
  });

  it('a port that is not one is refused by its own name, not as a REDIS_URL the user never set', () => {
    const env = loadDoctorConfiguration(args(readOnlyPolicy), {
      PORTBOT_EMBEDDED_REDIS_PORT: 'x1',
    });
    const line = env.checks.find((c) => c.check === 'env');
    expect(line?.status).toBe('fail');
    expect(line?.detail).toContain('PORTBOT_EMBEDDED_REDIS_PORT');
    expect(line?.detail).not.toContain('REDIS_URL');
  });

  it('REDIS_URL, when set, wins over the embedded port', () => {
    const env = { REDIS_URL: 'redis://10.0.0.9:6379', PORTBOT_EMBEDDED_REDIS_PORT: '6390' };
    expect(redisUrlOf(env)).toBe('redis://10.0.0.9:6379');
  });
});
