/** Drops keys whose value is undefined, so `{...a, ...withoutUndefined(b)}` never erases a default. */
export function withoutUndefined<T extends object>(
  o: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
