import type { Redis } from 'ioredis';
import type { Log } from '../domain/Log';

/**
 * One log line per change of a connection's state instead of ioredis' "Unhandled error event"
 * stack for every failed reconnect attempt: having an 'error' listener is what silences those.
 */
export function logRedisState(redis: Redis, name: string, log: Log): void {
  let up = true;
  redis.on('error', (err: Error) => {
    if (!up) return;
    up = false;
    log.warn({ redis: name, err: err.message }, 'redis connection lost');
  });
  redis.on('ready', () => {
    if (up) return;
    up = true;
    log.info({ redis: name }, 'redis connection restored');
  });
  redis.on('end', () => {
    up = false;
    log.info({ redis: name }, 'redis connection closed');
  });
}
