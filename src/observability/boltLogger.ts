import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';
import { scrubSecrets } from './scrubSecrets';

/** Bolt logs through portbot's pino logger, so redaction applies to its lines too. */
export function boltLogger(log: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  // Bolt and the Web API client pass objects that may carry `Authorization: Bearer xoxb-…`;
  // they are flattened to text here, so path redaction cannot reach them: scrub the text.
  const text = (msg: unknown[]) =>
    scrubSecrets(msg.map((m) => (typeof m === 'string' ? m : safeJson(m))).join(' '));
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

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
