import type { Diagnosis } from '../domain/diagnosis';
import { formatDiagnosisText } from './formatDiagnosisText';

/**
 * `diagnose --group/--all`: one line per host first (problems first, like a pager would sort
 * them), then the full report only for hosts that are not healthy.
 */
export function formatFleetText(diagnoses: readonly Diagnosis[]): string {
  const problems = diagnoses.filter((d) => d.verdict !== 'healthy');
  const width = Math.max(...diagnoses.map((d) => `${d.host}:${d.port}`.length), 4);
  const ordered = [...problems, ...diagnoses.filter((d) => d.verdict === 'healthy')];
  const lines = ordered.map(
    (d) => `${`${d.host}:${d.port}`.padEnd(width)}  ${d.verdict.padEnd(24)}  ${d.summary}`,
  );
  const head = `${diagnoses.length} host${diagnoses.length === 1 ? '' : 's'}: ${diagnoses.length - problems.length} healthy, ${problems.length} with a problem`;
  const details = problems.map(formatDiagnosisText);
  return [
    head,
    '',
    ...lines,
    ...(details.length > 0 ? ['', ...details.flatMap((t) => [t, ''])] : []),
  ]
    .join('\n')
    .trimEnd();
}
