import { auditPersistence } from '../audit/auditPersistence';
import { check, type DoctorCheck } from './DoctorCheck';
import type { RedisFacts, SentinelFacts } from '../domain/DoctorProbes';
import { compareVersions, parseRedisInfo } from './parseRedisInfo';

/** One Redis portbot uses: which variable names it, and what portbot keeps there. */
export interface RedisTarget {
  /** `REDIS_URL`, `REDIS_SENTINELS` (Sentinel mode) or `AUDIT_REDIS_URL`. */
  variable: string;
  /** The URL with any password masked; with Sentinel, the master name and the Sentinels. */
  url: string;
  /** Queues, incidents, approvals (REDIS_URL). */
  queue: boolean;
  /** The hash-chained audit stream (AUDIT_REDIS_URL, else REDIS_URL). */
  audit: boolean;
}

// BullMQ refuses older servers and warns below the recommended version.
const MINIMUM_VERSION = '5.0.0';
const RECOMMENDED_VERSION = '6.2.0';

/** Reachability and version, persistence, and the eviction policy BullMQ needs (noeviction). */
export function redisChecks(target: RedisTarget, facts: RedisFacts): DoctorCheck[] {
  const name = target.variable;
  if (!facts.reachable) {
    return [
      check(
        'redis.reachable',
        name,
        'fail',
        `cannot reach ${target.url}: ${facts.error}`,
        name === 'REDIS_SENTINELS'
          ? 'start Redis and the Sentinels, or correct REDIS_SENTINELS (host:port,…) and REDIS_SENTINEL_NAME'
          : `start Redis or correct ${name} (redis://[user:password@]host:port[/db])`,
      ),
    ];
  }
  const info = parseRedisInfo(facts.info);
  const found = facts.sentinel
    ? { ...target, url: `${facts.sentinel.reached}, master of '${facts.sentinel.name}'` }
    : target;
  return [
    versionCheck(found, info),
    persistenceCheck(target, facts),
    evictionCheck(name, info),
    ...(facts.sentinel ? [sentinelCheck(name, facts.sentinel, info)] : []),
  ];
}

/**
 * Sentinel mode: every listed Sentinel names the master the connection landed on, and the master
 * has a replica to fail over to (without one, an acknowledged alert rests on its AOF alone).
 */
function sentinelCheck(
  name: string,
  s: SentinelFacts,
  info: ReadonlyMap<string, string>,
): DoctorCheck {
  const agree = s.answers.filter((a) => a.master === s.reached).length;
  const replicas = Number(info.get('connected_slaves') ?? '0');
  const detail = `${agree} of ${s.answers.length} Sentinels name ${s.reached} as master of '${s.name}'; ${replicas} replica${replicas === 1 ? '' : 's'} connected`;
  const others = s.answers.filter((a) => a.master !== s.reached);
  if (others.length > 0) {
    const why = others
      .map(
        (a) =>
          `${a.sentinel}: ${a.master === null ? (a.error ?? 'no answer') : `names ${a.master}`}`,
      )
      .join('; ');
    return check(
      'redis.sentinel',
      name,
      agree * 2 > s.answers.length ? 'warn' : 'fail',
      `${detail} (${why})`,
      'start the missing Sentinels, or correct REDIS_SENTINELS and REDIS_SENTINEL_NAME',
    );
  }
  if (replicas === 0) {
    return check(
      'redis.sentinel',
      name,
      'warn',
      `${detail}: a failover has no replica to promote`,
      'start a replica (`replicaof` the master) so the Sentinels can fail over',
    );
  }
  return check('redis.sentinel', name, 'ok', detail);
}

function versionCheck(target: RedisTarget, info: ReadonlyMap<string, string>): DoctorCheck {
  const name = target.variable;
  const version = info.get('redis_version');
  const server = info.has('valkey_version')
    ? `Valkey ${info.get('valkey_version') ?? ''}`
    : `Redis ${version ?? '(version unknown)'}`;
  const found = `${server} at ${target.url}`;
  if (version === undefined) {
    return check(
      'redis.reachable',
      name,
      'warn',
      `${found}: INFO gave no redis_version`,
      `make sure the server is Redis ${RECOMMENDED_VERSION} or later`,
    );
  }
  if (compareVersions(version, MINIMUM_VERSION) < 0) {
    return check(
      'redis.reachable',
      name,
      'fail',
      `${found}: BullMQ needs Redis ${MINIMUM_VERSION} or later`,
      `upgrade Redis (${RECOMMENDED_VERSION} or later)`,
    );
  }
  if (compareVersions(version, RECOMMENDED_VERSION) < 0) {
    return check(
      'redis.reachable',
      name,
      'warn',
      `${found}: BullMQ recommends ${RECOMMENDED_VERSION} or later`,
      `upgrade Redis to ${RECOMMENDED_VERSION} or later`,
    );
  }
  return check('redis.reachable', name, 'ok', found);
}

function persistenceCheck(
  target: RedisTarget,
  facts: Extract<RedisFacts, { reachable: true }>,
): DoctorCheck {
  const name = target.variable;
  const p = auditPersistence(facts.appendonly, facts.save);
  if (p.persistent === true) {
    const how = p.appendonly === 'yes' ? 'AOF on' : `RDB snapshots (save "${p.save ?? ''}")`;
    return check('redis.persistence', name, 'ok', how);
  }
  if (p.persistent === 'unknown') {
    return check(
      'redis.persistence',
      name,
      'warn',
      'cannot tell: CONFIG GET is disabled or renamed on this server',
      "check the server's persistence settings by hand (AOF or RDB)",
    );
  }
  const kept = [
    ...(target.audit ? ['the tamper-evident audit log'] : []),
    ...(target.queue ? ['queued jobs, open incidents and approvals'] : []),
  ];
  const lost = `${kept.join(' and ')} ${kept.length === 1 && target.audit ? 'is' : 'are'}`;
  return check(
    'redis.persistence',
    name,
    // The audit chain is only evidence while it exists; a lost diagnosis can be asked for again.
    target.audit ? 'fail' : 'warn',
    `neither AOF nor RDB is on: ${lost} lost when Redis restarts`,
    'turn on AOF: `CONFIG SET appendonly yes` now and `appendonly yes` in redis.conf',
  );
}

function evictionCheck(name: string, info: ReadonlyMap<string, string>): DoctorCheck {
  const policy = info.get('maxmemory_policy');
  if (policy === undefined) {
    return check(
      'redis.maxmemory-policy',
      name,
      'warn',
      'INFO memory gave no maxmemory_policy',
      'make sure the server runs with maxmemory-policy noeviction',
    );
  }
  if (policy === 'noeviction') return check('redis.maxmemory-policy', name, 'ok', 'noeviction');
  return check(
    'redis.maxmemory-policy',
    name,
    'fail',
    `maxmemory-policy is ${policy}: under memory pressure Redis deletes keys, and BullMQ's queues and portbot's state break; BullMQ requires noeviction`,
    '`CONFIG SET maxmemory-policy noeviction` now and `maxmemory-policy noeviction` in redis.conf',
  );
}
