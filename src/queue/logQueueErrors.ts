import type { Log } from '../domain/Log';

/** An outage is over once its emitter has been quiet this long; the next error logs again. */
const QUIET_MS = 30_000;

/**
 * One JSON warn line when a BullMQ Queue or Worker starts failing, not one (or a raw stack
 * printed by BullMQ itself when nothing listens) per reconnect attempt. The connection's own
 * state changes are logged by logRedisState; this only keeps BullMQ's copies quiet and typed.
 */
export function logQueueErrors(
  emitter: { on(event: 'error', listener: (err: Error) => void): unknown },
  queue: string,
  log?: Log,
): void {
  let lastErrorAt = -Infinity;
  emitter.on('error', (err: Error) => {
    const now = Date.now();
    const quietBefore = now - lastErrorAt > QUIET_MS;
    lastErrorAt = now;
    if (quietBefore) log?.warn({ queue, err: err.message }, 'queue failing (redis)');
  });
}
