import type { HostClock } from '../../domain/ProbeResults';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// journalctl -o short-iso (`2026-12-07T16:31:50+0000`), rsyslog RFC 3339 (`…50.123456+00:00`).
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})\s/;
// nginx error_log: `2026/12/07 16:31:50 [emerg] …`, the host's local time without an offset.
const NGINX = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) /;
// Traditional syslog: `Dec  7 16:31:50 host …`, local time without year or offset.
const SYSLOG = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) /;

/**
 * When an LB log line was written, in seconds since the epoch; null when the line carries no
 * time portbot can read (HAProxy's stderr `[ALERT] (444) : …` has none) or it is local time
 * and the host's clock is unknown.
 */
export function parseLogTime(line: string, clock: HostClock | null): number | null {
  const iso = ISO.exec(line);
  if (iso) {
    return dateTimeSeconds(iso) - offsetMinutes(iso[7] ?? 'Z') * 60;
  }
  if (!clock) return null;
  const local = clock.utcOffsetMinutes * 60;
  const ng = NGINX.exec(line);
  if (ng) {
    return dateTimeSeconds(ng) - local;
  }
  const sl = SYSLOG.exec(line);
  if (sl) {
    const month = MONTHS.indexOf(sl[1] ?? '') + 1;
    if (month === 0) return null;
    const [d, h, mi, s] = sl.slice(2, 6).map(Number) as [number, number, number, number];
    // No year in the line: the host's year, or the one before when that lands in the future
    // (a December line read in January).
    const year = new Date((clock.now + local) * 1000).getUTCFullYear();
    const t = utc(year, month, d, h, mi, s) - local;
    return t > clock.now + 86_400 ? utc(year - 1, month, d, h, mi, s) - local : t;
  }
  return null;
}

/** Groups 1-6 of ISO or NGINX: year, month, day, hour, minute, second, read as UTC. */
function dateTimeSeconds(m: RegExpExecArray): number {
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = m.slice(1, 7).map(Number);
  return utc(y, mo, d, h, mi, s);
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
}

function offsetMinutes(z: string): number {
  if (z === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}
