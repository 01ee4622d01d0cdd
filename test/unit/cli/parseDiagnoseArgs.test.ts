import { parseDiagnoseArgs, parseSampleDuration } from '../../../src/cli/parseDiagnoseArgs';
import type { PortbotError } from '../../../src/domain/PortbotError';

describe('portbot diagnose --sample', () => {
  it.each([
    ['20s', 20_000],
    ['20', 20_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['60s', 60_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseSampleDuration(text)).toBe(ms);
  });

  it.each(['0', '50ms', '61s', '20m', '-1s', 'soon'])('%s is refused', (text) => {
    expect(parseSampleDuration(text)).toBeNull();
  });

  it('is 0 (no sampling) unless asked, and a usage error when malformed', () => {
    expect(parseDiagnoseArgs(['lb-01', '80']).sampleMs).toBe(0);
    expect(parseDiagnoseArgs(['lb-01', '80', '--sample', '5s']).sampleMs).toBe(5000);
    let err: unknown;
    try {
      parseDiagnoseArgs(['lb-01', '80', '--sample', '2h']);
    } catch (e) {
      err = e;
    }
    expect((err as PortbotError).code).toBe('USAGE');
    expect((err as PortbotError).message).toMatch(/^--sample must be a duration from 100ms to 60s/);
  });
});
