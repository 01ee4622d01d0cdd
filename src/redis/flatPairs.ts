/** HGETALL inside Lua answers a flat [field, value, …] list; this makes it a record again. */
export function flatPairs(flat: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
}
