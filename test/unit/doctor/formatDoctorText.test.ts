import { DoctorReportSchema } from '../../../src/cli/DoctorReportSchema';
import { check, doctorReport } from '../../../src/doctor/DoctorCheck';
import { formatCheckLine, formatDoctorText } from '../../../src/doctor/formatDoctorText';

const checks = [
  check('env', null, 'ok', 'valid (local mode; alert webhooks off)'),
  check('slack.auth', null, 'warn', 'SLACK_BOT_TOKEN is unset', 'set it'),
  check('ssh', 'lb-02', 'fail', 'lb-02 (10.77.0.12:22): host key mismatch', 'check the key'),
];

describe('doctor report', () => {
  it('counts statuses; passes only without failures (warnings allowed)', () => {
    expect(doctorReport(checks)).toMatchObject({
      passed: false,
      summary: { ok: 1, warn: 1, fail: 1 },
    });
    expect(doctorReport(checks.slice(0, 2)).passed).toBe(true);
    expect(doctorReport([]).passed).toBe(true);
  });

  it('one line per check: status, check and target, what, then what to do', () => {
    expect(checks.map(formatCheckLine)).toEqual([
      'ok    env: valid (local mode; alert webhooks off)',
      'WARN  slack.auth: SLACK_BOT_TOKEN is unset → set it',
      'FAIL  ssh lb-02: lb-02 (10.77.0.12:22): host key mismatch → check the key',
    ]);
  });

  it('ends with the summary line', () => {
    expect(formatDoctorText(doctorReport(checks)).split('\n').at(-1)).toBe(
      '3 checks: 1 ok, 1 warning, 1 failed: problems found (exit 1)',
    );
    expect(
      formatDoctorText(doctorReport(checks.slice(0, 1)))
        .split('\n')
        .at(-1),
    ).toBe('1 check: 1 ok, 0 warnings, 0 failed: all checks passed');
  });

  it('the JSON form is what DoctorReportSchema (documented in cli.md) describes', () => {
    const json: unknown = JSON.parse(JSON.stringify(doctorReport(checks)));
    expect(DoctorReportSchema.parse(json)).toEqual(doctorReport(checks));
    expect(DoctorReportSchema.safeParse({ ...doctorReport(checks), extra: 1 }).success).toBe(false);
  });
});
