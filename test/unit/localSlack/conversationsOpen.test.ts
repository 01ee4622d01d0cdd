import { LocalSlackStore } from '../../../src/localSlack/LocalSlackStore';
import { chatMethods } from '../../../src/localSlack/chatMethods';
import { conversationsOpen } from '../../../src/localSlack/conversationsOpen';

function ctx() {
  const store = new LocalSlackStore({
    users: [
      { id: 'U0ALICE', name: 'alice' },
      { id: 'U0GONE', name: 'gone', deleted: true },
      { id: 'U0ROBOT', name: 'robot', isBot: true },
    ],
  });
  return { store, origin: 'http://127.0.0.1:1' };
}

describe('local Slack conversations.open', () => {
  it('opens one DM channel per user, the same one again later, and posts land there', () => {
    const c = ctx();
    const first = conversationsOpen({ users: 'U0ALICE' }, c);
    expect(first).toEqual({ ok: true, channel: { id: 'D0ALICE' } });
    expect(conversationsOpen({ users: 'U0ALICE' }, c)).toEqual({
      ok: true,
      no_op: true,
      already_open: true,
      channel: { id: 'D0ALICE' },
    });
    const posted = chatMethods['chat.postMessage']?.({ channel: 'D0ALICE', text: 'hi' }, c);
    expect(posted).toMatchObject({ ok: true, channel: 'D0ALICE' });
    expect(c.store.topLevelMessages('D0ALICE').map((m) => m.text)).toEqual(['hi']);
  });

  it.each([
    [{}, 'users_list_not_supplied'],
    [{ users: '' }, 'users_list_not_supplied'],
    [{ users: 'alice' }, 'user_not_found'],
    [{ users: 'C0ALERTS' }, 'user_not_found'],
    [{ users: 'U0NOBODY' }, 'user_not_found'],
    [{ users: 'U0GONE' }, 'user_disabled'],
    [{ users: 'U0ROBOT' }, 'cannot_dm_bot'],
    [{ users: 'U0PORTBOT' }, 'user_not_found'],
    [{ users: 'U0ALICE,U0GONE' }, 'not_supported'],
  ])('%j answers %s and opens nothing', (params, error) => {
    const c = ctx();
    expect(conversationsOpen(params, c)).toEqual({ ok: false, error });
    expect(c.store.channel('D0ALICE')).toBeUndefined();
  });
});
