/** The bench's report table: rows with a target and PASS/FAIL, or information only. */
export interface ReportRow {
  metric: string;
  value: string;
  target: string;
  /** null for rows that inform without a target. */
  pass: boolean | null;
}

/** A phase that could not run keeps its reason, so the rest of the report still stands. */
export interface FailedPhase {
  error: string;
}

export function measured<T extends object>(p: T | FailedPhase): p is T {
  return !('error' in p);
}

export const ms = (v: number): string => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
export const x = (v: number): string => `${v.toFixed(2)}x`;

export function info(metric: string, value: string): ReportRow {
  return { metric, value, target: '', pass: null };
}

export function check(
  metric: string,
  value: number,
  fmt: (v: number) => string,
  op: '<=' | '>=',
  limit: number,
): ReportRow {
  const pass = op === '<=' ? value <= limit : value >= limit;
  return { metric, value: fmt(value), target: `${op === '<=' ? '≤' : '≥'} ${fmt(limit)}`, pass };
}

export function formatTable(rows: readonly ReportRow[]): string {
  const cells = rows.map((r) => [
    r.metric,
    r.value,
    r.target,
    r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const head = ['metric', 'value', 'target', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
