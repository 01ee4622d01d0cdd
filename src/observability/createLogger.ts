import pino, { type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

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
  'env.PORTBOT_APPROVAL_KEY',
  'config.SLACK_BOT_TOKEN',
  'config.SLACK_APP_TOKEN',
  'config.SLACK_SIGNING_SECRET',
  'config.PORTBOT_ALERT_TOKEN',
  'config.PORTBOT_ALERT_HMAC_SECRET',
  'config.PORTBOT_APPROVAL_KEY',
];

export type { Logger };

/** JSON lines for machines (journald, Docker, Kubernetes); `pretty` for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

/** Pretty only when a person is watching: anything piped or collected keeps one JSON object a line. */
export function logFormatFor(stdout: { isTTY?: boolean }): LogFormat {
  return stdout.isTTY === true ? 'pretty' : 'json';
}

/**
 * The root logger; children carry `component` and, where known, `incidentId`. Redaction runs in
 * pino before either format sees the line, so pretty output is as free of secrets as JSON. The
 * pretty stream runs in this thread (no transport worker): a terminal is slow anyway.
 */
export function createLogger(opts: {
  level: string;
  format?: LogFormat;
  destination?: pino.DestinationStream;
}): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { app: 'portbot' },
  };
  if (opts.format === 'pretty') {
    const pretty = pinoPretty({
      destination: opts.destination ?? 1,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'app',
    });
    return pino(options, pretty);
  }
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
