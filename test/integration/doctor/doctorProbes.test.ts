import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisChecks, type RedisTarget } from '../../../src/doctor/redisChecks';
import { LOCAL_SLACK_TOKEN } from '../../../src/localSlack/LocalSlackStore';
import { startLocalSlack, type LocalSlack } from '../../../src/localSlack/startLocalSlack';
import { probeRedis } from '../../../src/redis/probeRedis';
import { WebClientSlackProbe } from '../../../src/slack/WebClientSlackProbe';
import { SLACK_BOT_SCOPES } from '../../../src/domain/slackBotScopes';
import { startPrivateRedis, type StartedRedis } from '../../support/redisServer';

/**
 * The doctor's Redis and Slack adapters against real redis-server processes (ports 6422-6424,
 * nobody else's) and the local Slack stand-in over HTTP, through the WebClient portbot uses.
 */
const target = (url: string): RedisTarget => ({
  variable: 'REDIS_URL',
  url,
  queue: true,
  audit: true,
});

describe('probeRedis against real redis-server processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portbot-doctor-redis-'));
  const servers: StartedRedis[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('AOF on, noeviction: every Redis line ok', async () => {
    const s = await startPrivateRedis(6422, dir, ['--appendonly', 'yes', '--save', '']);
    servers.push(s);
    const checks = redisChecks(target(s.url), await probeRedis({ kind: 'url', url: s.url }, 2000));
    expect(checks.map((c) => [c.check, c.status])).toEqual([
      ['redis.reachable', 'ok'],
      ['redis.persistence', 'ok'],
      ['redis.maxmemory-policy', 'ok'],
    ]);
    expect(checks[0]?.detail).toMatch(/^Redis \d+\.\d+\.\d+ at redis:\/\/127\.0\.0\.1:6422$/);
  });

  it('no persistence and allkeys-lru: both named', async () => {
    const s = await startPrivateRedis(6423, dir, [
      '--appendonly',
      'no',
      '--save',
      '',
      '--maxmemory-policy',
      'allkeys-lru',
    ]);
    servers.push(s);
    const [, persistence, eviction] = redisChecks(
      target(s.url),
      await probeRedis({ kind: 'url', url: s.url }, 2000),
    );
    expect(persistence).toMatchObject({ status: 'fail' });
    expect(persistence?.detail).toContain('neither AOF nor RDB');
    expect(eviction).toMatchObject({ status: 'fail' });
    expect(eviction?.detail).toContain('maxmemory-policy is allkeys-lru');
  });

  it('nothing listening: unreachable, with the connection error, within the timeout', async () => {
    const facts = await probeRedis({ kind: 'url', url: 'redis://127.0.0.1:6424' }, 1000);
    expect(facts).toEqual({ reachable: false, error: 'connect ECONNREFUSED 127.0.0.1:6424' });
  });
});

describe('WebClientSlackProbe against the local Slack', () => {
  let slack: LocalSlack;
  const probe = (token = LOCAL_SLACK_TOKEN) =>
    new WebClientSlackProbe(token, { apiUrl: slack.url, timeoutMs: 2000 });
  beforeAll(async () => {
    slack = await startLocalSlack({
      channels: [
        { id: 'C0ALERTS', name: 'alerts' },
        { id: 'C0QUIET', name: 'quiet', botIsMember: false },
      ],
    });
  });
  afterAll(async () => {
    await slack.close();
  });

  it('auth.test: the bot, and the scopes from the x-oauth-scopes header', async () => {
    expect(await probe().authTest()).toEqual({
      ok: true,
      user: 'portbot',
      userId: 'U0PORTBOT',
      team: 'portbot-local',
      teamId: 'T0PORTBOT',
      enterpriseId: null,
      scopes: SLACK_BOT_SCOPES.map((s) => s.scope),
    });
    slack.grantScopes(['chat:write', 'commands']);
    try {
      expect(await probe().authTest()).toMatchObject({ scopes: ['chat:write', 'commands'] });
    } finally {
      slack.grantScopes(SLACK_BOT_SCOPES.map((s) => s.scope));
    }
  });

  it('a bad token and a revoked one: invalid_auth / token_revoked, as Slack answers', async () => {
    expect(await probe('xoxb-0000-not-a-real-token').authTest()).toEqual({
      ok: false,
      error: 'invalid_auth',
      reached: true,
    });
    slack.addToken('xoxb-soon-revoked');
    slack.revokeToken('xoxb-soon-revoked', 'token_revoked');
    expect(await probe('xoxb-soon-revoked').authTest()).toMatchObject({ error: 'token_revoked' });
  });

  it('conversations.info: member, not a member, not found, missing scope', async () => {
    expect(await probe().channelInfo('C0ALERTS')).toEqual({
      ok: true,
      id: 'C0ALERTS',
      name: 'alerts',
      isMember: true,
      isArchived: false,
      isPrivate: false,
    });
    expect(await probe().channelInfo('C0QUIET')).toMatchObject({ ok: true, isMember: false });
    expect(await probe().channelInfo('C0GONE')).toEqual({
      ok: false,
      error: 'channel_not_found',
      reached: true,
      needed: null,
    });
    slack.grantScopes(['chat:write']);
    try {
      expect(await probe().channelInfo('C0ALERTS')).toEqual({
        ok: false,
        error: 'missing_scope',
        reached: true,
        needed: 'channels:read',
      });
    } finally {
      slack.grantScopes(SLACK_BOT_SCOPES.map((s) => s.scope));
    }
  });

  it('Slack not answering at all: not reached, with the reason', async () => {
    const gone = new WebClientSlackProbe(LOCAL_SLACK_TOKEN, {
      apiUrl: 'http://127.0.0.1:6425/api/',
      timeoutMs: 1000,
    });
    const facts = await gone.authTest();
    expect(facts).toMatchObject({ ok: false, reached: false });
    // Plain node hands the cause on ("connect ECONNREFUSED …"); jest's fetch drops it.
    expect(facts.ok === false && facts.error).toMatch(/ECONNREFUSED|fetch failed/);
  });
});
