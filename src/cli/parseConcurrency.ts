/** Hosts at once when none is asked for; the SSH pool's cap is the same bound everywhere. */
const DEFAULT_CONCURRENCY = 20;

/**
 * `--concurrency N` of the fan-out commands: an integer 1-500, 20 when absent. `usage` turns the
 * message into that command's usage error.
 */
export function parseConcurrency(
  raw: string | undefined,
  usage: (message: string) => Error,
): number {
  const value = raw === undefined ? DEFAULT_CONCURRENCY : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 500) {
    throw usage(`--concurrency must be an integer 1-500, got ${JSON.stringify(raw)}`);
  }
  return value;
}
