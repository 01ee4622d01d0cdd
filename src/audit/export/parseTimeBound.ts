import { PortbotError } from '../../domain/PortbotError';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `7d`, `12h`, `30m`, `90s` (that long before now) or an ISO-8601 date/time. `what` names the
 * option in the error, e.g. `--since` or `since`.
 */
export function parseTimeBound(text: string, now: number, what: string): Date {
  const rel = /^(\d{1,9})([smhd])$/.exec(text.trim());
  if (rel) {
    const date = new Date(now - Number(rel[1]) * (UNIT_MS[rel[2] ?? 'd'] ?? 0));
    // Beyond JavaScript's date range (±273,790 years) the range would silently match nothing.
    if (!Number.isNaN(date.getTime())) return date;
    throw new PortbotError('USAGE', `${what} ${JSON.stringify(text.slice(0, 60))}: too far back`);
  }
  // Only ISO shapes: Date.parse also takes things like "1" or "March 7", which would surprise.
  if (
    /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)
  ) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return new Date(ms);
  }
  throw new PortbotError(
    'USAGE',
    `${what} ${JSON.stringify(text.slice(0, 60))}: expected a duration like 7d, 12h, 30m, 90s or an ISO date such as 2026-11-21T10:00:00Z`,
  );
}
