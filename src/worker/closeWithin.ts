import type { Log } from '../domain/Log';

/**
 * Closes workers gracefully, and force-closes those still busy after `ms`: a hung host must not
 * turn SIGTERM into SIGKILL. A job cut this way keeps no lock and BullMQ's stalled check hands it
 * to another worker after the lock duration.
 */
/** How long a forced close may take before the stop goes on without it. */
const FORCED_CLOSE_WAIT_MS = 1000;

export async function closeWithin(
  workers: readonly { close(force?: boolean): Promise<void> }[],
  ms: number,
  log: Log,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  const drained = Promise.all(workers.map((w) => w.close())).then(() => 'drained' as const);
  const outcome = await Promise.race([drained, deadline]);
  clearTimeout(timer);
  if (outcome === 'late') {
    log.warn({ drainMs: ms }, 'drain deadline passed; handing jobs back');
    // BullMQ's forced close still waits for the running processors (measured: 25 s of posts
    // behind Slack's rate limit): give it a moment, then leave; the process exits after stop.
    let forced: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(workers.map((w) => w.close(true))),
      new Promise<void>((resolve) => {
        forced = setTimeout(resolve, FORCED_CLOSE_WAIT_MS);
      }),
    ]);
    clearTimeout(forced);
  }
}
