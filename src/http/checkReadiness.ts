/**
 * Runs every readiness check at once; one that throws or has not answered within `timeoutMs`
 * counts as not ready, so a hung dependency (a paused Redis) cannot hang /readyz with it.
 */
export async function checkReadiness(
  checks: Record<string, () => Promise<boolean>>,
  timeoutMs: number,
): Promise<Record<string, boolean>> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const ok = await Promise.race([check().catch(() => false), late]);
      clearTimeout(timer);
      return [name, ok] as const;
    }),
  );
  return Object.fromEntries(results);
}
