/** What a throttle says about one occurrence: log it or not, and how many it stands for. */
export interface RepeatVerdict {
  log: boolean;
  /** Occurrences of the same kind left out since the last one logged (0 on the first). */
  suppressed: number;
}

/** Kinds remembered at once; past this the memory starts over rather than grow with input. */
const MAX_KINDS = 256;

/**
 * One line per kind per window: when Redis is down every request fails the same way, and a line
 * per request (thousands a second in a storm) buries the cause and fills the disk. The first
 * occurrence is logged at once; later ones within windowMs are counted and the next line logged
 * carries the count.
 */
export function repeatThrottle(
  windowMs: number,
  now: () => number,
): (kind: string) => RepeatVerdict {
  const seen = new Map<string, { loggedAt: number; suppressed: number }>();
  return (kind) => {
    const t = now();
    const entry = seen.get(kind);
    if (entry && t - entry.loggedAt < windowMs) {
      entry.suppressed += 1;
      return { log: false, suppressed: entry.suppressed };
    }
    if (!entry && seen.size >= MAX_KINDS) seen.clear();
    const suppressed = entry?.suppressed ?? 0;
    seen.set(kind, { loggedAt: t, suppressed: 0 });
    return { log: true, suppressed };
  };
}
