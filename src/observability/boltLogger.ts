import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

/** Bolt logs through portbot's pino logger, so redaction applies to its lines too. */
export function boltLogger(log: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  const text = (msg: unknown[]) =>
    msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => log.debug({ component: 'bolt' }, text(msg)),
    info: (...msg) => log.info({ component: 'bolt' }, text(msg)),
    warn: (...msg) => log.warn({ component: 'bolt' }, text(msg)),
    error: (...msg) => log.error({ component: 'bolt' }, text(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
