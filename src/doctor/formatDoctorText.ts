import type { CheckStatus, DoctorCheck, DoctorReport } from './DoctorCheck';

const LABEL: Readonly<Record<CheckStatus, string>> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };

/** `ok   ssh lb-01: …` / `FAIL redis.persistence REDIS_URL: … → what to do`. */
export function formatCheckLine(c: DoctorCheck): string {
  const subject = c.target === null ? c.check : `${c.check} ${c.target}`;
  return `${LABEL[c.status]}  ${subject}: ${c.detail}${c.fix === null ? '' : ` → ${c.fix}`}`;
}

/** One line per check in the order they ran, then the summary line. */
export function formatDoctorText(report: DoctorReport): string {
  const { ok, warn, fail } = report.summary;
  const total = ok + warn + fail;
  const counts = `${total} ${total === 1 ? 'check' : 'checks'}: ${ok} ok, ${warn} ${warn === 1 ? 'warning' : 'warnings'}, ${fail} failed`;
  const verdict = report.passed
    ? warn > 0
      ? 'passed with warnings'
      : 'all checks passed'
    : 'problems found (exit 1)';
  return [...report.checks.map(formatCheckLine), '', `${counts}: ${verdict}`].join('\n');
}
