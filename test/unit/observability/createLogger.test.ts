import { Writable } from 'node:stream';
import { createLogger } from '../../../src/observability/createLogger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, log: createLogger({ level: 'debug', destination }) };
}

describe('createLogger', () => {
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
