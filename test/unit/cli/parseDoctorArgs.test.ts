import { parseDoctorArgs } from '../../../src/cli/parseDoctorArgs';
import { PortbotError } from '../../../src/domain/PortbotError';

describe('parseDoctorArgs', () => {
  it('defaults: text, 16 hosts at once, 5 s per step', () => {
    expect(parseDoctorArgs([])).toEqual({
      inventory: undefined,
      policy: undefined,
      json: false,
      concurrency: 16,
      timeoutMs: 5000,
    });
  });

  it('takes every flag', () => {
    expect(
      parseDoctorArgs([
        '-i',
        'inv.yaml',
        '--policy',
        'p.yaml',
        '--json',
        '-c',
        '4',
        '--timeout',
        '800',
      ]),
    ).toEqual({
      inventory: 'inv.yaml',
      policy: 'p.yaml',
      json: true,
      concurrency: 4,
      timeoutMs: 800,
    });
  });

  it.each([
    [['--concurrency', '0'], '--concurrency must be an integer 1-500, got "0"'],
    [['--timeout', '50'], '--timeout must be an integer 100-60000, got "50"'],
    [['--timeout', 'soon'], '--timeout must be an integer 100-60000, got "soon"'],
    [['lb-01'], 'Unexpected argument'],
    [['--fix'], "Unknown option '--fix'"],
  ])('%j is a usage error: %s', (argv, message) => {
    let thrown: unknown;
    try {
      parseDoctorArgs(argv);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(PortbotError);
    expect(thrown).toMatchObject({ code: 'USAGE' });
    expect((thrown as PortbotError).message).toContain(message);
  });
});
