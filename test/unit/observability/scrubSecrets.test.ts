import { Writable } from 'node:stream';
import { boltLogger } from '../../../src/observability/boltLogger';
import { createLogger } from '../../../src/observability/createLogger';
import { scrubSecrets } from '../../../src/observability/scrubSecrets';

describe('scrubSecrets', () => {
  it.each([
    ['token xoxb-123-456-abcDEF leaked', 'token xox?-[redacted] leaked'],
    ['app xapp-1-A0-123-abc', 'app xapp-[redacted]'],
    ['{"Authorization":"Bearer xoxb-1-2"}', '{"Authorization":"Bearer [redacted]"}'],
    ['nothing secret here', 'nothing secret here'],
  ])('%j', (input, out) => {
    expect(scrubSecrets(input)).toBe(out);
  });

  it('reaches what Bolt and the Web API client log as objects', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _e, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const bolt = boltLogger(createLogger({ level: 'debug', destination }));
    bolt.error('request failed', {
      config: { headers: { Authorization: 'Bearer xoxb-9-9-secret' } },
    });
    expect(lines.join('')).not.toContain('xoxb-9-9-secret');
    expect(lines.join('')).toContain('request failed');
  });
});
