import type { AuditDetailValue } from '../../audit/AuditEvent';

/** An alert set aside before it touched any incident: its target did not map, or over the cap. */
export interface SetAside {
  reason: string;
  fingerprint: string | null;
}

const REASONS_CHARS = 300;
const FINGERPRINTS_SHOWN = 5;

/**
 * One audit detail for every alert a payload had that portbot could not act on: a flood of
 * unmappable alerts costs one audit entry and one log line, not one each.
 */
export function summarizeIgnored(items: readonly SetAside[]): Record<string, AuditDetailValue> {
  const byReason = new Map<string, number>();
  for (const i of items) byReason.set(i.reason, (byReason.get(i.reason) ?? 0) + 1);
  const reasons = [...byReason.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${n}× ${reason}`)
    .join('; ');
  const fingerprints = items
    .map((i) => i.fingerprint)
    .filter((f): f is string => f !== null)
    .slice(0, FINGERPRINTS_SHOWN);
  return {
    count: items.length,
    reasons: reasons.length > REASONS_CHARS ? `${reasons.slice(0, REASONS_CHARS - 1)}…` : reasons,
    fingerprints: fingerprints.length > 0 ? fingerprints.join(',') : null,
  };
}
