/**
 * Remembers a readiness answer for `ttlMs`: load balancers probe /readyz every few seconds and
 * each probe must not become a Slack API call (rate limits) or a slow retry loop.
 */
export function cachedCheck(
  check: () => Promise<boolean>,
  ttlMs: number,
  now: () => number = Date.now,
): () => Promise<boolean> {
  let last: { at: number; ok: boolean } | null = null;
  return async () => {
    if (last && now() - last.at < ttlMs) return last.ok;
    const ok = await check().catch(() => false);
    last = { at: now(), ok };
    return ok;
  };
}
