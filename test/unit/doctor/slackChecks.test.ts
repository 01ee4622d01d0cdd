import type { SlackAuthFacts, SlackChannelFacts } from '../../../src/domain/DoctorProbes';
import { requiredSlackScopes } from '../../../src/doctor/requiredSlackScopes';
import { slackChecks, type SlackCheckInput } from '../../../src/doctor/slackChecks';
import { SLACK_BOT_SCOPES } from '../../../src/domain/slackBotScopes';

const ALWAYS = SLACK_BOT_SCOPES.filter((s) => s.need === 'always').map((s) => s.scope);

const authOk = (scopes: string[] | null = ALWAYS): SlackAuthFacts => ({
  ok: true,
  user: 'portbot',
  userId: 'U0PORTBOT',
  team: 'acme',
  teamId: 'T0ACME',
  enterpriseId: null,
  scopes,
});
const member: SlackChannelFacts = {
  ok: true,
  id: 'C0ALERTS',
  name: 'alerts',
  isMember: true,
  isArchived: false,
  isPrivate: false,
};

const input = (over: Partial<SlackCheckInput> = {}): SlackCheckInput => ({
  auth: authOk(),
  channelId: 'C0ALERTS',
  channel: member,
  policyNamesGroups: false,
  workspaces: null,
  ...over,
});

const byName = (checks: ReturnType<typeof slackChecks>, name: string) =>
  checks.find((c) => c.check === name);

describe('slackChecks', () => {
  it('all well: auth, channel, scopes each ok', () => {
    const checks = slackChecks(input());
    expect(checks.map((c) => [c.check, c.status])).toEqual([
      ['slack.auth', 'ok'],
      ['slack.channel', 'ok'],
      ['slack.scopes', 'ok'],
    ]);
    expect(byName(checks, 'slack.auth')?.detail).toBe(
      'bot portbot (U0PORTBOT) in workspace acme (T0ACME)',
    );
    expect(byName(checks, 'slack.channel')?.detail).toBe('#alerts (C0ALERTS): the bot is a member');
  });

  it('invalid_auth: one failing line that says what the token is and where to get a good one', () => {
    const checks = slackChecks(
      input({ auth: { ok: false, error: 'invalid_auth', reached: true } }),
    );
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ check: 'slack.auth', status: 'fail' });
    expect(checks[0]?.detail).toMatch(/^auth\.test answered invalid_auth: the token is not valid/);
    expect(checks[0]?.fix).toContain('SLACK_BOT_TOKEN');
  });

  it('Slack not reached is told apart from Slack refusing', () => {
    const [c] = slackChecks(
      input({ auth: { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:9', reached: false } }),
    );
    expect(c?.detail).toMatch(/^cannot reach Slack: connect ECONNREFUSED/);
    expect(c?.fix).toContain('SLACK_API_URL');
  });

  it('channel_not_found names the channel and the likely causes', () => {
    const c = byName(
      slackChecks(
        input({
          channel: { ok: false, error: 'channel_not_found', reached: true, needed: null },
        }),
      ),
      'slack.channel',
    );
    expect(c).toMatchObject({ status: 'fail', target: 'C0ALERTS' });
    expect(c?.detail).toContain('channel C0ALERTS not found');
    expect(c?.fix).toContain('/invite @portbot');
  });

  it('the bot not in the channel, and an archived channel, fail', () => {
    const out = byName(
      slackChecks(input({ channel: { ...member, isMember: false } })),
      'slack.channel',
    );
    expect(out?.status).toBe('fail');
    expect(out?.detail).toContain('not a member of #alerts');
    const archived = byName(
      slackChecks(input({ channel: { ...member, isArchived: true } })),
      'slack.channel',
    );
    expect(archived?.detail).toContain('archived');
  });

  it('missing_scope on conversations.info names the scope Slack asked for', () => {
    const c = byName(
      slackChecks(
        input({
          channel: { ok: false, error: 'missing_scope', reached: true, needed: 'channels:read' },
        }),
      ),
      'slack.channel',
    );
    expect(c?.detail).toContain('lacks the channels:read scope');
  });

  it('no alert channel set: ok, alert webhooks are off', () => {
    const c = byName(slackChecks(input({ channelId: null, channel: null })), 'slack.channel');
    expect(c).toMatchObject({ status: 'ok', target: null });
  });

  it('missing scopes fail and say which calls need them', () => {
    const c = byName(
      slackChecks(input({ auth: authOk(ALWAYS.filter((s) => s !== 'chat:write')) })),
      'slack.scopes',
    );
    expect(c?.status).toBe('fail');
    expect(c?.detail).toBe(
      'missing scope: chat:write (chat.postMessage, chat.update, chat.delete, chat.postEphemeral)',
    );
  });

  it('a private alert channel needs groups:history and groups:read', () => {
    const c = byName(
      slackChecks(input({ channel: { ...member, isPrivate: true } })),
      'slack.scopes',
    );
    expect(c?.status).toBe('fail');
    expect(c?.detail).toContain('groups:history');
    expect(c?.detail).toContain('groups:read');
  });

  it('user groups in the policy need usergroups:read', () => {
    expect(
      requiredSlackScopes({ privateChannel: false, policyNamesGroups: true }).map((s) => s.scope),
    ).toContain('usergroups:read');
    expect(
      byName(slackChecks(input({ policyNamesGroups: true })), 'slack.scopes')?.detail,
    ).toContain('usergroups:read');
  });

  it('scopes portbot never calls for are a warning (least privilege); conditional ones are not', () => {
    const extra = byName(
      slackChecks(
        input({ auth: authOk([...ALWAYS, 'groups:read', 'users:read', 'reactions:write']) }),
      ),
      'slack.scopes',
    );
    expect(extra?.status).toBe('warn');
    expect(extra?.detail).toContain('never used by portbot: users:read, reactions:write');
  });

  it('no x-oauth-scopes header: a warning, the scopes cannot be compared', () => {
    expect(byName(slackChecks(input({ auth: authOk(null) })), 'slack.scopes')?.status).toBe('warn');
  });

  it('a workspace the policy does not allow fails: every command would be refused', () => {
    const c = byName(slackChecks(input({ workspaces: ['T0OTHER'] })), 'slack.auth');
    expect(c?.status).toBe('fail');
    expect(c?.detail).toContain('T0OTHER');
    expect(byName(slackChecks(input({ workspaces: ['T0ACME'] })), 'slack.auth')?.status).toBe('ok');
  });
});
