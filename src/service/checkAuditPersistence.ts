import type { Redis } from 'ioredis';
import { auditPersistence, type AuditPersistence } from '../audit/auditPersistence';
import type { Log } from '../domain/Log';
import { configGet } from '../redis/configGet';

/**
 * At serve and worker start: the hash chain is only tamper-evident while it exists, so an audit
 * Redis with neither AOF nor RDB (it loses everything on a restart) gets one loud warn line.
 */
export async function checkAuditPersistence(
  redis: Redis,
  name: string,
  log: Log,
): Promise<AuditPersistence> {
  const result = auditPersistence(
    await configGet(redis, 'appendonly'),
    await configGet(redis, 'save'),
  );
  const data = { redis: name, appendonly: result.appendonly, save: result.save };
  if (result.persistent === false) {
    log.warn(
      data,
      'AUDIT REDIS HAS NO PERSISTENCE (neither AOF nor RDB): the tamper-evident audit log is lost on a Redis restart',
    );
  } else if (result.persistent === 'unknown') {
    log.warn(data, 'audit redis persistence unknown: CONFIG GET unavailable (disabled or renamed)');
  }
  return result;
}
