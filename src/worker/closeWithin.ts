import type { Log } from '../domain/Log';

/**
 * Closes workers gracefully, and force-closes those still busy after `ms`: a hung host must not
 * turn SIGTERM into SIGKILL. A job cut this way keeps no lock and BullMQ's stalled check hands it
 * to another worker after the lock duration.
 */
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
    await Promise.all(workers.map((w) => w.close(true)));
  }
}
