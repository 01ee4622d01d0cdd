import { LocalSlackStore } from '../../../src/localSlack/LocalSlackStore';
import { usergroupsUsersList } from '../../../src/localSlack/usergroupsUsersList';

describe('usergroups.users.list', () => {
  const store = new LocalSlackStore({ userGroups: { S0LEADS: ['U0CAROL'] } });
  const ctx = { store, origin: 'http://127.0.0.1:1' };

  it("answers a seeded group's members, and groups added later", () => {
    expect(usergroupsUsersList({ usergroup: 'S0LEADS' }, ctx)).toEqual({
      ok: true,
      users: ['U0CAROL'],
    });
    store.addUserGroup('S0OPS', ['U0ALICE', 'U0BOB']);
    expect(usergroupsUsersList({ usergroup: 'S0OPS' }, ctx)).toEqual({
      ok: true,
      users: ['U0ALICE', 'U0BOB'],
    });
  });

  it('answers no_such_subteam for a group it does not know, as Slack does', () => {
    expect(usergroupsUsersList({ usergroup: 'S0NONE' }, ctx)).toMatchObject({
      ok: false,
      error: 'no_such_subteam',
    });
    expect(usergroupsUsersList({}, ctx)).toMatchObject({ ok: false, error: 'no_such_subteam' });
  });
});
