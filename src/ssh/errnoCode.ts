/**
 * The `code` of a Node system error (ECONNREFUSED, ENOENT, …), or null. Duck-typed on purpose:
 * errors from another realm (jest's vm contexts) fail `instanceof Error`.
 */
export function errnoCode(err: unknown): string | null {
  if (typeof err !== 'object' || err === null || !('code' in err)) return null;
  return typeof err.code === 'string' ? err.code : null;
}
