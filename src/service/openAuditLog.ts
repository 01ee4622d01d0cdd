import type { Redis } from 'ioredis';
import { RedisAuditLog } from '../audit/redis/RedisAuditLog';
import { recordAuditTo, type RecordAudit } from '../audit/recordAudit';
import type { EnvConfig } from '../config/EnvConfigSchema';
import type { Log } from '../domain/Log';
import { closeRedis } from '../redis/closeRedis';
import { redisForState } from '../redis/redisConnection';
import { logRedisState } from './logRedisState';

/** The audit log on AUDIT_REDIS_URL when set, else on the state connection; `close` ends only what it opened. */
export function openAuditLog(
  env: EnvConfig,
  stateRedis: Redis,
  log: Log,
): {
  auditLog: RedisAuditLog;
  audit: RecordAudit;
  /** The connection the audit log is on (for the start-up persistence check). */
  auditRedis: Redis;
  close: () => Promise<void>;
} {
  const own = env.AUDIT_REDIS_URL ? redisForState({ kind: 'url', url: env.AUDIT_REDIS_URL }) : null;
  if (own) logRedisState(own, 'audit', log);
  const auditLog = new RedisAuditLog(own ?? stateRedis);
  return {
    auditLog,
    auditRedis: own ?? stateRedis,
    audit: recordAuditTo(auditLog, log),
    close: async () => {
      if (own) await closeRedis(own);
    },
  };
}
