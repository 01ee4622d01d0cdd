import { conversationsInfo } from '../../../src/localSlack/conversationsInfo';
import { dispatchApiCall } from '../../../src/localSlack/dispatchApiCall';
import { LocalSlackStore, LOCAL_SLACK_TOKEN } from '../../../src/localSlack/LocalSlackStore';
import type { HandlerContext } from '../../../src/localSlack/MethodHandler';
import { SLACK_BOT_SCOPES } from '../../../src/domain/slackBotScopes';

function ctx(
  store = new LocalSlackStore({
    channels: [
      { id: 'C0ALERTS', name: 'alerts' },
      { id: 'C0QUIET', name: 'quiet', botIsMember: false },
      { id: 'G0SECRET', name: 'secret', isPrivate: true, botIsMember: false },
      { id: 'G0OPS', name: 'ops', isPrivate: true },
    ],
  }),
): HandlerContext {
  return { store, origin: 'http://127.0.0.1:1' };
}

describe('conversations.info in the local Slack', () => {
  it('answers is_member for public channels the bot is in, or not', () => {
    const c = ctx();
    expect(conversationsInfo({ channel: 'C0ALERTS' }, c)).toMatchObject({
      ok: true,
      channel: { id: 'C0ALERTS', name: 'alerts', is_member: true, is_private: false },
    });
    expect(conversationsInfo({ channel: 'C0QUIET' }, c)).toMatchObject({
      ok: true,
      channel: { is_member: false },
    });
  });

  it('channel_not_found for an unknown id and for a private channel the bot is not in', () => {
    const c = ctx();
    expect(conversationsInfo({ channel: 'C0NONE' }, c)).toEqual({
      ok: false,
      error: 'channel_not_found',
    });
    expect(conversationsInfo({ channel: 'G0SECRET' }, c)).toEqual({
      ok: false,
      error: 'channel_not_found',
    });
    expect(conversationsInfo({ channel: 'G0OPS' }, c)).toMatchObject({
      ok: true,
      channel: { is_private: true, is_group: true, is_member: true },
    });
  });

  it('missing_scope with needed and provided when the read scope is not granted', () => {
    const store = new LocalSlackStore({
      channels: [{ id: 'C0ALERTS', name: 'alerts' }],
      scopes: ['chat:write', 'commands'],
    });
    expect(conversationsInfo({ channel: 'C0ALERTS' }, ctx(store))).toEqual({
      ok: false,
      error: 'missing_scope',
      needed: 'channels:read',
      provided: 'chat:write,commands',
    });
  });
});

describe('x-oauth-scopes', () => {
  const call = (store: LocalSlackStore, bearer: string) =>
    dispatchApiCall(ctx(store), { methods: {} }, { method: 'auth.test', params: {}, bearer });

  it('every authenticated answer names the granted scopes (default: all portbot calls for)', () => {
    const store = new LocalSlackStore();
    const answer = call(store, LOCAL_SLACK_TOKEN);
    expect(answer.headers?.['x-oauth-scopes']).toBe(SLACK_BOT_SCOPES.map((s) => s.scope).join(','));
    store.grantScopes(['chat:write']);
    expect(call(store, LOCAL_SLACK_TOKEN).headers?.['x-oauth-scopes']).toBe('chat:write');
  });

  it('a bad token answers invalid_auth without the header, as Slack does', () => {
    const answer = call(new LocalSlackStore(), 'xoxb-not-a-known-token');
    expect(answer.body).toEqual({ ok: false, error: 'invalid_auth' });
    expect(answer.headers).toBeUndefined();
  });
});
