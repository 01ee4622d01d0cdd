import type { Diagnosis, Occupant } from '../domain/diagnosis';
import { formatDiagnosisText } from './formatDiagnosisText';

/**
 * `diagnose --group/--all`: the full report of every host that is not healthy, then a short
 * table of every host (problems first, like a pager would sort them), so the overview is what
 * stays on screen at the end of a long run.
 */
export function formatFleetText(diagnoses: readonly Diagnosis[]): string {
  const problems = diagnoses.filter((d) => d.verdict !== 'healthy');
  const ordered = [...problems, ...diagnoses.filter((d) => d.verdict === 'healthy')];
  const rows = [
    ['HOST', 'VERDICT', 'OCCUPANT'],
    ...ordered.map((d) => [`${d.host}:${d.port}`, d.verdict, occupantText(d.occupant)]),
  ];
  const hostWidth = Math.max(...rows.map((r) => (r[0] ?? '').length));
  const verdictWidth = Math.max(...rows.map((r) => (r[1] ?? '').length));
  const table = rows.map(([host = '', verdict = '', occupant = '']) =>
    `${host.padEnd(hostWidth)}  ${verdict.padEnd(verdictWidth)}  ${occupant}`.trimEnd(),
  );
  const head = `${diagnoses.length} host${diagnoses.length === 1 ? '' : 's'}: ${diagnoses.length - problems.length} healthy, ${problems.length} with a problem`;
  const details = problems.map(formatDiagnosisText);
  return [...details.flatMap((t) => [t, '']), head, '', ...table].join('\n');
}

function occupantText(o: Occupant | null): string {
  if (!o) return '-';
  return `${o.comm} (pid ${o.pid}${o.user ? `, ${o.user}` : ''})`;
}
