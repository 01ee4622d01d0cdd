export const CHECK_STATUSES = ['ok', 'warn', 'fail'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/**
 * The checks `portbot doctor` runs, in the order it prints them; the names are fixed for
 * scripts (docs/reference/cli.md).
 */
export const CHECK_NAMES = [
  'env',
  'runbooks',
  'inventory',
  'policy',
  'redis.reachable',
  'redis.persistence',
  'redis.maxmemory-policy',
  'redis.sentinel',
  'slack.auth',
  'slack.channel',
  'slack.scopes',
  'ssh',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** One line of `portbot doctor`: what was checked, what was found, and what to do about it. */
export interface DoctorCheck {
  check: CheckName;
  /** What the check ran against when there can be several: `REDIS_URL`, a host name; else null. */
  target: string | null;
  status: CheckStatus;
  /** What was found: the facts when all is well, what is wrong otherwise. One line. */
  detail: string;
  /** What to do about it; null when nothing needs doing. */
  fix: string | null;
}

export interface DoctorSummary {
  ok: number;
  warn: number;
  fail: number;
}

export interface DoctorReport {
  /** No check failed (warnings allowed): the exit code is 0. */
  passed: boolean;
  summary: DoctorSummary;
  checks: DoctorCheck[];
}

export function doctorReport(checks: readonly DoctorCheck[]): DoctorReport {
  const summary: DoctorSummary = { ok: 0, warn: 0, fail: 0 };
  for (const c of checks) summary[c.status] += 1;
  return { passed: summary.fail === 0, summary, checks: [...checks] };
}

export function check(
  name: CheckName,
  target: string | null,
  status: CheckStatus,
  detail: string,
  fix: string | null = null,
): DoctorCheck {
  return { check: name, target, status, detail, fix };
}
