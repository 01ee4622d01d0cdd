import { handleActionButton } from '../../../src/commands/handleActionButton';
import { READ_ONLY_POLICY } from '../../../src/config/PolicySchema';
import type { Policy } from '../../../src/domain/Policy';

const value = JSON.stringify({
  incidentId: 'INC-1',
  kind: 'kill-occupant',
  host: 'lb-01',
  port: 80,
  pid: 4123,
  startTicks: 1,
});

describe('handleActionButton', () => {
  it('says nothing ran and that no approvers are configured under the read-only policy', () => {
    const m = handleActionButton(READ_ONLY_POLICY, {
      actionId: 'portbot:action:kill-occupant',
      value,
    });
    expect(m.text).toContain(
      'Approval required: "kill-occupant" on lb-01:80, pid 4123 was not run',
    );
    expect(m.text).toContain('No approvers are configured');
  });

  it('with approvers configured, says remediation is not available yet', () => {
    const policy: Policy = {
      ...READ_ONLY_POLICY,
      remediation: {
        requesters: { users: ['U1'], groups: [] },
        approvers: { users: ['U2'], groups: [] },
        approvals: { default: 1, vipHolder: 2 },
        expiryMinutes: 10,
      },
    };
    const m = handleActionButton(policy, {
      actionId: 'portbot:action:restart-lb:2',
      value: 'not json',
    });
    expect(m.text).toContain('"restart-lb" was not run');
    expect(m.text).toContain('not available in this version');
  });

  it.each([
    ['a value portbot did not write', JSON.stringify({ host: 'lb-01', port: 80 })],
    ['a value with a wrong type', JSON.stringify({ ...JSON.parse(value), port: '80' })],
  ])('names no target for %s', (_what, v) => {
    const m = handleActionButton(READ_ONLY_POLICY, {
      actionId: 'portbot:action:kill-occupant',
      value: v,
    });
    expect(m.text).toContain('Approval required: "kill-occupant" was not run');
  });

  it('does not echo an action id it did not build', () => {
    const m = handleActionButton(READ_ONLY_POLICY, { actionId: 'portbot:action:rm -rf', value });
    expect(m.text).toContain(
      'Approval required: "unknown action" on lb-01:80, pid 4123 was not run',
    );
  });
});
