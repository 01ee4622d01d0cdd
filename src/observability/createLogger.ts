import pino, { type Logger } from 'pino';

/**
 * Paths whose values never reach a log line. Tokens travel in env config, HTTP headers and
 * Slack payloads; passphrases and keys in SSH options.
 */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'passphrase',
  '*.passphrase',
  'privateKey',
  '*.privateKey',
  'password',
  '*.password',
  'authorization',
  'headers.authorization',
  '*.headers.authorization',
  'Authorization',
  '*.Authorization',
  'headers.Authorization',
  '*.headers.Authorization',
  'headers["x-slack-signature"]',
  'env.SLACK_BOT_TOKEN',
  'env.SLACK_APP_TOKEN',
  'env.SLACK_SIGNING_SECRET',
  'env.PORTBOT_ALERT_TOKEN',
  'env.PORTBOT_ALERT_HMAC_SECRET',
  'config.SLACK_BOT_TOKEN',
  'config.SLACK_APP_TOKEN',
  'config.SLACK_SIGNING_SECRET',
  'config.PORTBOT_ALERT_TOKEN',
  'config.PORTBOT_ALERT_HMAC_SECRET',
];

export type { Logger };

/** The root logger; children carry `component` and, where known, `incidentId`. */
export function createLogger(opts: {
  level: string;
  destination?: pino.DestinationStream;
}): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { app: 'portbot' },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
