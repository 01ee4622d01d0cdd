import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import {
  createLogger,
  logFormatFor,
  type LogFormat,
} from '../../../src/observability/createLogger';

function capture(format?: LogFormat) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const log = createLogger({ level: 'debug', destination, ...(format ? { format } : {}) });
  return { lines, log };
}

const SECRETS = ['xoxb-1', 'xoxb-2', '"sig"', '"alert"', 'Bearer abc', 'hunter2', 'BEGIN'];

function logConfigLoaded(log: ReturnType<typeof createLogger>): void {
  log.info(
    {
      token: 'xoxb-1',
      config: {
        SLACK_BOT_TOKEN: 'xoxb-2',
        SLACK_SIGNING_SECRET: 'sig',
        PORTBOT_ALERT_TOKEN: 'alert',
      },
      req: { headers: { authorization: 'Bearer abc' } },
      ssh: { passphrase: 'hunter2', privateKey: 'BEGIN' },
      host: 'lb-01',
    },
    'config loaded',
  );
}

describe('createLogger', () => {
  it('writes one JSON object per line by default', () => {
    const { lines, log } = capture();
    log.warn({ host: 'lb-01', port: 443 }, 'ssh connect failed');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 40,
      app: 'portbot',
      host: 'lb-01',
      port: 443,
      msg: 'ssh connect failed',
    });
  });

  it('pretty: a human line (time, level, message, data beside it), not JSON', () => {
    const { lines, log } = capture('pretty');
    log.warn({ host: 'lb-01', port: 443 }, 'ssh connect failed');
    const out = lines.join('');
    expect(() => JSON.parse(out) as unknown).toThrow();
    // colour codes only when the terminal supports them: compare without them
    const plain = stripVTControlCharacters(out);
    expect(plain).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] WARN: ssh connect failed\n/);
    expect(plain).toContain('host: "lb-01"');
    expect(plain).toContain('port: 443');
    expect(plain).not.toContain('app:');
  });

  it('pretty output is redacted like JSON', () => {
    const { lines, log } = capture('pretty');
    logConfigLoaded(log);
    const out = lines.join('');
    for (const secret of SECRETS) expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
    expect(out).toContain('"lb-01"');
  });

  it('chooses pretty only for a terminal', () => {
    expect(logFormatFor({ isTTY: true })).toBe('pretty');
    expect(logFormatFor({ isTTY: false })).toBe('json');
    expect(logFormatFor({})).toBe('json');
  });

  it('redacts tokens, secrets, passphrases and auth headers wherever they sit', () => {
    const { lines, log } = capture();
    log.info(
      {
        token: 'xoxb-1',
        config: {
          SLACK_BOT_TOKEN: 'xoxb-2',
          SLACK_SIGNING_SECRET: 'sig',
          PORTBOT_ALERT_TOKEN: 'alert',
        },
        req: { headers: { authorization: 'Bearer abc' } },
        ssh: { passphrase: 'hunter2', privateKey: 'BEGIN' },
        host: 'lb-01',
      },
      'config loaded',
    );
    const out = lines.join('');
    for (const secret of [
      'xoxb-1',
      'xoxb-2',
      '"sig"',
      '"alert"',
      'Bearer abc',
      'hunter2',
      'BEGIN',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('"host":"lb-01"');
    expect(out).toContain('[redacted]');
  });
});
