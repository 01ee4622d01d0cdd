/**
 * Hosts per fleet-check child job. Small enough that a check of a few hundred hosts spreads over
 * every worker (and a worker lost mid-chunk costs at most this many re-diagnoses), large enough
 * that the per-job overhead (a Redis round trip or two) stays far below one SSH diagnosis.
 */
export const FLEET_CHUNK_SIZE = 25;

/**
 * Splits a fleet check's hosts into the chunks its child jobs diagnose: in inventory order,
 * balanced (sizes differ by at most one, e.g. 26 hosts → 13 + 13, not 25 + 1), none empty.
 * Deterministic, so a repeated start builds the same chunks (and the same job ids).
 */
export function chunkHosts(hosts: readonly string[], maxSize = FLEET_CHUNK_SIZE): string[][] {
  if (!Number.isInteger(maxSize) || maxSize < 1)
    throw new RangeError(`chunk size must be a positive integer, got ${maxSize}`);
  const count = Math.ceil(hosts.length / maxSize);
  const chunks: string[][] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    // The first (length % count) chunks take one host more.
    const size = Math.floor(hosts.length / count) + (i < hosts.length % count ? 1 : 0);
    chunks.push(hosts.slice(start, start + size));
    start += size;
  }
  return chunks;
}
