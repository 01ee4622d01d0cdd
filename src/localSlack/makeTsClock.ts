/**
 * Slack message timestamps: "<unix seconds>.<6 digits>", unique and strictly increasing, so that
 * ordering by ts is ordering by posting time (tests and thread lookups rely on it).
 */
export function makeTsClock(now: () => number = Date.now): () => string {
  let lastMicros = 0;
  return () => {
    lastMicros = Math.max(now() * 1000, lastMicros + 1);
    const seconds = Math.floor(lastMicros / 1_000_000);
    const micros = lastMicros % 1_000_000;
    return `${seconds}.${String(micros).padStart(6, '0')}`;
  };
}
