import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RedisFacts } from '../../../src/domain/DoctorProbes';
import { compareVersions, parseRedisInfo } from '../../../src/doctor/parseRedisInfo';
import { redisChecks, type RedisTarget } from '../../../src/doctor/redisChecks';

// Real INFO server + INFO memory of redis-server 7.0.15 (see the .source.md next to it).
const captured = readFileSync(
  resolve(__dirname, '../../fixtures/redis/info-7.0.15-allkeys-lru.txt'),
  'utf8',
);
const noeviction = captured.replace('maxmemory_policy:allkeys-lru', 'maxmemory_policy:noeviction');

const queueAndAudit: RedisTarget = {
  variable: 'REDIS_URL',
  url: 'redis://127.0.0.1:6420',
  queue: true,
  audit: true,
};
const queueOnly: RedisTarget = { ...queueAndAudit, audit: false };

const reachable = (info: string, appendonly: unknown, save: unknown): RedisFacts => ({
  reachable: true,
  info,
  appendonly,
  save,
});

describe('parseRedisInfo', () => {
  it('reads the fields of a real INFO reply (CRLF, section headers)', () => {
    const info = parseRedisInfo(captured);
    expect(info.get('redis_version')).toBe('7.0.15');
    expect(info.get('maxmemory_policy')).toBe('allkeys-lru');
    expect(info.has('# Server')).toBe(false);
  });

  it.each([
    ['7.0.15', '6.2.0', 1],
    ['6.2.0', '6.2.0', 0],
    ['6.0.16', '6.2.0', -1],
    ['4.0', '5.0.0', -1],
    ['10.0.0', '6.2.0', 1],
  ])('compareVersions(%s, %s) = %d', (a, b, want) => {
    expect(compareVersions(a, b)).toBe(want);
  });
});

describe('redisChecks', () => {
  it('a healthy server: version, AOF, noeviction', () => {
    const checks = redisChecks(
      queueAndAudit,
      reachable(noeviction, ['appendonly', 'yes'], ['save', '']),
    );
    expect(checks).toEqual([
      {
        check: 'redis.reachable',
        target: 'REDIS_URL',
        status: 'ok',
        detail: 'Redis 7.0.15 at redis://127.0.0.1:6420',
        fix: null,
      },
      {
        check: 'redis.persistence',
        target: 'REDIS_URL',
        status: 'ok',
        detail: 'AOF on',
        fix: null,
      },
      {
        check: 'redis.maxmemory-policy',
        target: 'REDIS_URL',
        status: 'ok',
        detail: 'noeviction',
        fix: null,
      },
    ]);
  });

  it('the captured server: no persistence fails (audit lives there), allkeys-lru fails', () => {
    const [, persistence, eviction] = redisChecks(
      queueAndAudit,
      reachable(captured, ['appendonly', 'no'], ['save', '']),
    );
    expect(persistence).toMatchObject({ status: 'fail' });
    expect(persistence?.detail).toContain('audit log');
    expect(persistence?.fix).toContain('appendonly yes');
    expect(eviction).toMatchObject({ status: 'fail' });
    expect(eviction?.detail).toContain('allkeys-lru');
    expect(eviction?.fix).toContain('maxmemory-policy noeviction');
  });

  it('no persistence on a queue-only Redis (audit kept apart) is a warning', () => {
    const [, persistence] = redisChecks(
      queueOnly,
      reachable(noeviction, ['appendonly', 'no'], ['save', '']),
    );
    expect(persistence?.status).toBe('warn');
    expect(persistence?.detail).not.toContain('audit');
  });

  it('RDB snapshots count as persistence', () => {
    const [, persistence] = redisChecks(
      queueAndAudit,
      reachable(noeviction, ['appendonly', 'no'], ['save', '3600 1 300 100']),
    );
    expect(persistence).toMatchObject({
      status: 'ok',
      detail: 'RDB snapshots (save "3600 1 300 100")',
    });
  });

  it('CONFIG renamed away: persistence unknown is a warning, not a crash', () => {
    const [, persistence] = redisChecks(queueAndAudit, reachable(noeviction, undefined, undefined));
    expect(persistence?.status).toBe('warn');
    expect(persistence?.detail).toContain('CONFIG GET is disabled');
  });

  it('versions BullMQ refuses fail, versions it only advises against warn', () => {
    const v = (version: string) =>
      redisChecks(
        queueAndAudit,
        reachable(
          noeviction.replace('redis_version:7.0.15', `redis_version:${version}`),
          ['appendonly', 'yes'],
          ['save', ''],
        ),
      )[0]?.status;
    expect(v('4.0.14')).toBe('fail');
    expect(v('6.0.16')).toBe('warn');
    expect(v('6.2.14')).toBe('ok');
  });

  it('unreachable: one failing line naming the URL and the error, nothing else', () => {
    expect(
      redisChecks(queueAndAudit, {
        reachable: false,
        error: 'connect ECONNREFUSED 127.0.0.1:6429',
      }),
    ).toEqual([
      {
        check: 'redis.reachable',
        target: 'REDIS_URL',
        status: 'fail',
        detail: 'cannot reach redis://127.0.0.1:6420: connect ECONNREFUSED 127.0.0.1:6429',
        fix: 'start Redis or correct REDIS_URL (redis://[user:password@]host:port[/db])',
      },
    ]);
  });
});

describe('redisChecks with Sentinel', () => {
  const viaSentinel: RedisTarget = {
    variable: 'REDIS_SENTINELS',
    url: "master 'portbot' via Sentinels 10.0.0.5:26379,10.0.0.6:26379,10.0.0.7:26379",
    queue: true,
    audit: true,
  };
  const withReplicas = (n: number) => `${noeviction}\r\n# Replication\r\nconnected_slaves:${n}\r\n`;
  const answers = (...masters: (string | null)[]) =>
    masters.map((master, i) => ({
      sentinel: `10.0.0.${5 + i}:26379`,
      master,
      error: master === null ? 'connect ECONNREFUSED' : null,
    }));
  const facts = (replicas: number, ...masters: (string | null)[]): RedisFacts => ({
    reachable: true,
    info: withReplicas(replicas),
    appendonly: ['appendonly', 'yes'],
    save: ['save', ''],
    sentinel: { name: 'portbot', reached: '10.0.0.11:6379', answers: answers(...masters) },
  });
  const M = '10.0.0.11:6379';

  it('all Sentinels agree, one replica: the server reached is named, the sentinel line ok', () => {
    const checks = redisChecks(viaSentinel, facts(1, M, M, M));
    expect(checks.map((c) => [c.check, c.target, c.status])).toEqual([
      ['redis.reachable', 'REDIS_SENTINELS', 'ok'],
      ['redis.persistence', 'REDIS_SENTINELS', 'ok'],
      ['redis.maxmemory-policy', 'REDIS_SENTINELS', 'ok'],
      ['redis.sentinel', 'REDIS_SENTINELS', 'ok'],
    ]);
    expect(checks[0]?.detail).toBe("Redis 7.0.15 at 10.0.0.11:6379, master of 'portbot'");
    expect(checks[3]?.detail).toBe(
      "3 of 3 Sentinels name 10.0.0.11:6379 as master of 'portbot'; 1 replica connected",
    );
  });

  it('no replica: warn, a failover has nowhere to go', () => {
    expect(redisChecks(viaSentinel, facts(0, M, M, M))[3]).toEqual({
      check: 'redis.sentinel',
      target: 'REDIS_SENTINELS',
      status: 'warn',
      detail:
        "3 of 3 Sentinels name 10.0.0.11:6379 as master of 'portbot'; 0 replicas connected: a failover has no replica to promote",
      fix: 'start a replica (`replicaof` the master) so the Sentinels can fail over',
    });
  });

  it('a Sentinel down or naming another master: warn with a majority, fail without', () => {
    const one = redisChecks(viaSentinel, facts(1, M, null, M))[3];
    expect(one?.status).toBe('warn');
    expect(one?.detail).toBe(
      "2 of 3 Sentinels name 10.0.0.11:6379 as master of 'portbot'; 1 replica connected (10.0.0.6:26379: connect ECONNREFUSED)",
    );
    const split = redisChecks(viaSentinel, facts(1, M, '10.0.0.12:6379', null))[3];
    expect(split?.status).toBe('fail');
    expect(split?.detail).toContain('10.0.0.7:26379: connect ECONNREFUSED');
    expect(split?.detail).toContain('10.0.0.6:26379: names 10.0.0.12:6379');
  });

  it('unreachable through the Sentinels: the fix names both variables', () => {
    expect(
      redisChecks(viaSentinel, { reachable: false, error: 'All sentinels are unreachable.' })[0]
        ?.fix,
    ).toBe(
      'start Redis and the Sentinels, or correct REDIS_SENTINELS (host:port,…) and REDIS_SENTINEL_NAME',
    );
  });
});
