import type { Redis } from 'ioredis';
import { auditPersistence, type AuditPersistence } from '../audit/auditPersistence';
import type { Log } from '../domain/Log';
import { configGet } from '../redis/configGet';

/** What a Redis keeps that a restart without persistence would lose. */
export type RedisRole = 'audit' | 'state';

/**
 * At serve and worker start: one loud warn line for each Redis that has neither AOF nor RDB (it
 * loses everything on a restart), and for a state Redis kept by RDB snapshots alone (a restart
 * rolls it back: an executed request can be `approved` again). The audit log's hash chain is only tamper-evident while it
 * exists; the state Redis holds remediation requests, approvals, step journals and the fencing
 * counter (a reset counter hands out tokens an older run already held).
 */
export async function checkRedisPersistence(
  redis: Redis,
  name: string,
  roles: readonly RedisRole[],
  log: Log,
): Promise<AuditPersistence> {
  let result: AuditPersistence;
  try {
    result = auditPersistence(await configGet(redis, 'appendonly'), await configGet(redis, 'save'));
  } catch (err) {
    // Redis down at start-up is reported by the connection's own log lines; saying CONFIG is
    // disabled here would send the operator after the wrong cause.
    log.warn(
      { redis: name, holds: roles, err },
      'redis persistence not checked: Redis did not answer CONFIG GET',
    );
    return { persistent: 'unknown', appendonly: undefined, save: undefined };
  }
  const data = { redis: name, holds: roles, appendonly: result.appendonly, save: result.save };
  const audit = roles.includes('audit');
  if (result.persistent === false) {
    if (audit) {
      log.warn(
        data,
        'AUDIT REDIS HAS NO PERSISTENCE (neither AOF nor RDB): the tamper-evident audit log is lost on a Redis restart',
      );
    } else {
      log.warn(
        data,
        'STATE REDIS HAS NO PERSISTENCE (neither AOF nor RDB): remediation requests, approvals, step journals and fencing tokens are lost on a Redis restart',
      );
    }
  } else if (roles.includes('state') && rdbOnly(result)) {
    log.warn(
      data,
      'STATE REDIS PERSISTS BY RDB SNAPSHOTS ONLY (save without appendonly): a restart rolls back to the last snapshot and can bring back approvals of requests that already ran; set appendonly yes, and keep the audit log in its own Redis (AUDIT_REDIS_URL) so that a rollback cannot make a step run twice',
    );
  } else if (result.persistent === 'unknown') {
    if (audit) {
      log.warn(
        data,
        'audit redis persistence unknown: CONFIG GET unavailable (disabled or renamed)',
      );
    } else {
      log.warn(
        data,
        'state redis persistence unknown: CONFIG GET unavailable (disabled or renamed)',
      );
    }
  }
  return result;
}

/** RDB snapshots without AOF: what happened since the last snapshot is lost on a restart. */
function rdbOnly(p: AuditPersistence): boolean {
  return p.appendonly === 'no' && p.save !== undefined && p.save.trim() !== '';
}

/** serve and worker start: the state Redis, and the audit Redis too when it is kept apart. */
export async function warnWithoutPersistence(
  separateAudit: boolean,
  stateRedis: Redis,
  auditRedis: Redis,
  log: Log,
): Promise<void> {
  if (!separateAudit) {
    await checkRedisPersistence(stateRedis, 'state', ['audit', 'state'], log);
    return;
  }
  await checkRedisPersistence(auditRedis, 'audit', ['audit'], log);
  await checkRedisPersistence(stateRedis, 'state', ['state'], log);
}
