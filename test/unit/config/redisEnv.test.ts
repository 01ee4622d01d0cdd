import { loadEnvConfig } from '../../../src/config/loadEnvConfig';
import {
  auditRedisEndpoint,
  redisEndpoint,
  RedisEnvSchema,
} from '../../../src/config/RedisEnvSchema';
import { describeRedisEndpoint } from '../../../src/redis/describeRedisEndpoint';

const SENTINELS = '10.0.0.5:26379, sentinel-b.example:26380,[fd00::7]:26381';

function problems(env: Record<string, string>): string {
  try {
    loadEnvConfig(env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a failure');
}

describe('Redis endpoint from the environment', () => {
  it('REDIS_URL alone: that server, as before', () => {
    const env = loadEnvConfig({ REDIS_URL: 'redis://:pw@10.0.0.9:6380/2' });
    expect(redisEndpoint(env)).toEqual({ kind: 'url', url: 'redis://:pw@10.0.0.9:6380/2' });
    expect(describeRedisEndpoint(redisEndpoint(env))).toBe('redis://:***@10.0.0.9:6380/2');
    expect(env.PORTBOT_ALERT_WAIT_REPLICAS).toBeUndefined();
    expect(env.PORTBOT_ALERT_WAIT_MS).toBe(500);
  });

  it('Sentinel: every listed Sentinel parsed (names, IPv4, IPv6), REDIS_URL kept for db and password', () => {
    const env = loadEnvConfig({
      REDIS_URL: 'redis://:pw@ignored/3',
      REDIS_SENTINELS: SENTINELS,
      REDIS_SENTINEL_NAME: 'portbot',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
    });
    const endpoint = redisEndpoint(env);
    expect(endpoint).toEqual({
      kind: 'sentinel',
      url: 'redis://:pw@ignored/3',
      sentinels: [
        { host: '10.0.0.5', port: 26379 },
        { host: 'sentinel-b.example', port: 26380 },
        { host: 'fd00::7', port: 26381 },
      ],
      name: 'portbot',
      sentinelPassword: 'sentinel-secret',
    });
    expect(describeRedisEndpoint(endpoint)).toBe(
      "master 'portbot' via Sentinels 10.0.0.5:26379,sentinel-b.example:26380,[fd00::7]:26381",
    );
    // The audit stream fails over with the rest unless AUDIT_REDIS_URL names a server of its own.
    expect(auditRedisEndpoint(env)).toEqual(endpoint);
    expect(auditRedisEndpoint({ ...env, AUDIT_REDIS_URL: 'redis://audit:6379' })).toEqual({
      kind: 'url',
      url: 'redis://audit:6379',
    });
  });

  it.each([
    ['10.0.0.5', "got '10.0.0.5'"],
    ['10.0.0.5:0', "got '10.0.0.5:0'"],
    ['10.0.0.5:26379,', "got ''"],
    ['a b:1', "got 'a b:1'"],
    ['10.0.0.5:99999', "got '10.0.0.5:99999'"],
  ])('REDIS_SENTINELS=%s is refused, naming the entry', (value, named) => {
    const message = problems({ REDIS_SENTINELS: value, REDIS_SENTINEL_NAME: 'portbot' });
    expect(message).toContain(
      `REDIS_SENTINELS: expected host:port[,host:port…] (the Sentinels, e.g. 10.0.0.5:26379); ${named}`,
    );
  });

  it('one without the other, TLS with Sentinel, and a wait as long as a command: each named', () => {
    expect(problems({ REDIS_SENTINELS: '10.0.0.5:26379' })).toContain(
      'REDIS_SENTINEL_NAME: required when REDIS_SENTINELS is set',
    );
    expect(problems({ REDIS_SENTINEL_NAME: 'portbot' })).toContain(
      'REDIS_SENTINELS: required when REDIS_SENTINEL_NAME is set',
    );
    expect(
      problems({
        REDIS_URL: 'rediss://x/0',
        REDIS_SENTINELS: '10.0.0.5:26379',
        REDIS_SENTINEL_NAME: 'portbot',
      }),
    ).toContain('REDIS_URL: rediss:// (TLS) is not supported with REDIS_SENTINELS yet');
    expect(problems({ PORTBOT_ALERT_WAIT_MS: '2000' })).toContain(
      'PORTBOT_ALERT_WAIT_MS: must be below PORTBOT_REDIS_TIMEOUT_MS (2000)',
    );
    expect(problems({ REDIS_SENTINEL_NAME: 'has space', REDIS_SENTINELS: '1.2.3.4:5' })).toContain(
      'REDIS_SENTINEL_NAME: expected the master name the Sentinels monitor',
    );
  });

  it('RedisEnvSchema (portbot audit) reads the same variables without the rest of the env', () => {
    const parsed = RedisEnvSchema.parse({
      REDIS_SENTINELS: '127.0.0.1:26379',
      REDIS_SENTINEL_NAME: 'portbot',
      SLACK_BOT_TOKEN: 'not checked here',
    });
    expect(redisEndpoint(parsed)).toMatchObject({ kind: 'sentinel', name: 'portbot' });
    expect(RedisEnvSchema.safeParse({ REDIS_SENTINELS: '127.0.0.1:26379' }).success).toBe(false);
  });
});
