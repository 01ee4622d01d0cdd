import { configCheck } from '../../../src/doctor/configCheck';
import { oneLine } from '../../../src/doctor/oneLine';

describe('configCheck', () => {
  it('a loader error becomes one failing line with every problem, and the fix', () => {
    const c = configCheck('inventory', {
      ok: false,
      error:
        'invalid inventory (2 problems):\n  /etc/inv.yaml: hosts[0].port: expected a port\n  /etc/inv.yaml: hosts[1]: no hostKey and no knownHostsPath',
    });
    expect(c).toMatchObject({ check: 'inventory', target: null, status: 'fail' });
    expect(c.detail).toBe(
      'invalid inventory (2 problems): /etc/inv.yaml: hosts[0].port: expected a port; /etc/inv.yaml: hosts[1]: no hostKey and no knownHostsPath',
    );
    expect(c.fix).toContain('docs/reference/inventory.md');
  });

  it('runbook problems listed with "- " lose the bullet', () => {
    expect(oneLine('invalid runbooks (1 problem):\n  - /r/x.yaml: kind: bad')).toBe(
      'invalid runbooks (1 problem): /r/x.yaml: kind: bad',
    );
    expect(oneLine('/etc/inv.yaml: file not found')).toBe('/etc/inv.yaml: file not found');
  });

  it('ok carries the description; not-checked is a warning with its own fix', () => {
    expect(configCheck('policy', { ok: true, detail: 'p.yaml: remediation on' })).toEqual({
      check: 'policy',
      target: null,
      status: 'ok',
      detail: 'p.yaml: remediation on',
      fix: null,
    });
    expect(
      configCheck('inventory', {
        ok: 'not-checked',
        reason: 'not checked',
        fix: 'fix the runbooks first',
      }),
    ).toMatchObject({ status: 'warn', fix: 'fix the runbooks first' });
  });
});
