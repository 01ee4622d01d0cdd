import { READ_ONLY_POLICY } from '../../../src/config/PolicySchema';
import {
  LOCAL_USER_ID,
  nameFor,
  OUTSIDER_ID,
  workspaceGroups,
  workspaceUsers,
} from '../../../src/localWorkspace/view/workspaceUsers';

describe('workspaceUsers', () => {
  it('lists everyone the policy names with their roles, then an outsider', () => {
    const users = workspaceUsers({
      commands: { channels: ['*'], users: ['U0ALICE', 'U0DAVE', '*'] },
      remediation: {
        requesters: { users: ['U0ALICE'], groups: ['S0OPS'] },
        approvers: { users: ['U0ALICE', 'U0BOB'], groups: [] },
        approvals: { default: 1, vipHolder: 2 },
        expiryMinutes: 10,
      },
      auditors: { users: ['U0CAROL'], groups: [] },
    });
    expect(users).toEqual([
      { id: 'U0ALICE', name: 'alice', roles: ['requester', 'approver'] },
      // One member of each user group, so group-only roles can be played too.
      { id: 'US0OPS', name: 's0ops-member', roles: ['requester'] },
      { id: 'U0BOB', name: 'bob', roles: ['approver'] },
      { id: 'U0CAROL', name: 'carol', roles: ['auditor'] },
      { id: 'U0DAVE', name: 'dave', roles: ['command user'] },
      { id: OUTSIDER_ID, name: 'outsider', roles: ['outsider'] },
    ]);
  });

  it('gives each named user group its one member, for usergroups.users.list', () => {
    const policy = {
      commands: { channels: ['*'], users: ['*'] },
      remediation: {
        requesters: { users: [], groups: ['S0OPS'] },
        approvers: { users: [], groups: ['S0LEADS', '*'] },
        approvals: { default: 1, vipHolder: 2 },
        expiryMinutes: 10,
      },
    };
    expect(workspaceGroups(policy)).toEqual({ S0OPS: ['US0OPS'], S0LEADS: ['US0LEADS'] });
    expect(workspaceUsers(policy).map((u) => [u.name, u.roles])).toEqual([
      ['s0ops-member', ['requester']],
      ['s0leads-member', ['approver']],
      ['outsider', ['outsider']],
    ]);
  });

  it('a policy that names nobody still gives someone to play, and the outsider', () => {
    expect(workspaceUsers(READ_ONLY_POLICY).map((u) => u.id)).toEqual([LOCAL_USER_ID, OUTSIDER_ID]);
  });

  it.each([
    ['U0ALICE', 'alice'],
    ['UABC123', 'abc123'],
    ['W0', 'w0'],
  ])('%s is shown as %s', (id, name) => {
    expect(nameFor(id)).toBe(name);
  });
});
