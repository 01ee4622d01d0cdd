import { notFullySwept, type HostSweep } from '../sweep/SweepRisk';

/** `portbot sweep` without --json: one block per host, risks first, then a tally. */
export function formatSweepText(sweeps: readonly HostSweep[]): string {
  const lines: string[] = [];
  for (const s of sweeps) {
    const ports = s.lbPorts.length > 0 ? s.lbPorts.join(', ') : 'none known';
    if (s.failure) {
      lines.push(`${s.host}: NOT SWEPT (${s.failure.code}): ${s.failure.message}`);
      continue;
    }
    const status = notFullySwept(s)
      ? 'INCOMPLETE'
      : s.risks.length === 0
        ? 'ok'
        : `${s.risks.length} risk${s.risks.length === 1 ? '' : 's'}`;
    lines.push(`${s.host}: ${status} (LB ports ${ports})`);
    for (const u of s.unseen) lines.push(`  not seen: ${u.code}: ${u.detail}`);
    for (const r of s.risks) {
      lines.push(
        `  [${r.severity}] ${r.code}${r.port === null ? '' : ` port ${r.port}`}: ${r.detail}`,
      );
    }
  }
  const risky = sweeps.filter((s) => s.risks.length > 0).length;
  const failed = sweeps.filter((s) => s.failure !== null).length;
  const incomplete = sweeps.filter((s) => s.failure === null && notFullySwept(s)).length;
  const total = sweeps.reduce((n, s) => n + s.risks.length, 0);
  lines.push(
    '',
    `${sweeps.length} host${sweeps.length === 1 ? '' : 's'} swept: ${total} risk${total === 1 ? '' : 's'} on ${risky}, ${failed} not swept${incomplete > 0 ? `, ${incomplete} incomplete (LB config not read)` : ''}`,
  );
  return lines.join('\n');
}
