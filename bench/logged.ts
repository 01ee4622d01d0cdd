/** Each phase's median as soon as it is known: a run cut short still shows what it measured. */
export function logged<T extends { wallMs: { p50: number } }>(log: (msg: string) => void, r: T): T {
  log(`  p50 ${r.wallMs.p50.toFixed(1)} ms`);
  return r;
}
