import type { HostClock } from '../../domain/ProbeResults';

/** `date '+%s %z'` output, e.g. `1796650310 +0100`; null when date failed or printed else. */
export function parseHostClock(text: string): HostClock | null {
  const m = /^(\d{9,12}) ([+-])(\d{2})(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [, now, sign, hh, mm] = m as unknown as [string, string, string, string, string];
  const minutes = Number(hh) * 60 + Number(mm);
  return { now: Number(now), utcOffsetMinutes: sign === '-' ? -minutes : minutes };
}
