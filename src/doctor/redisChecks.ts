import { auditPersistence } from '../audit/auditPersistence';
import { check, type DoctorCheck } from './DoctorCheck';
import type { RedisFacts } from '../domain/DoctorProbes';
import { compareVersions, parseRedisInfo } from './parseRedisInfo';

/** One Redis portbot uses: which variable names it, and what portbot keeps there. */
export interface RedisTarget {
  /** `REDIS_URL` or `AUDIT_REDIS_URL`. */
  variable: string;
  /** The URL with any password masked. */
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
        `start Redis or correct ${name} (redis://[user:password@]host:port[/db])`,
      ),
    ];
  }
  const info = parseRedisInfo(facts.info);
  return [versionCheck(target, info), persistenceCheck(target, facts), evictionCheck(name, info)];
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
