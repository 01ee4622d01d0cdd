import type { RemoteCpuMeter } from './RemoteCpuMeter';

/**
 * Waits until the watched hosts are quiet: the same process count and CPU total in three
 * samples in a row. Closed sessions take a moment to exit and be reaped, and a tick read from
 * a process that is being reaped can be missed, so CPU is only sampled at rest.
 */
export async function settle(meter: RemoteCpuMeter, timeoutMs = 3000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = meter.snapshot();
  let same = 0;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 30));
    const now = meter.snapshot();
    same = now.processes === last.processes && now.cpuMs === last.cpuMs ? same + 1 : 0;
    last = now;
    if (same >= 2) break;
  }
  return last.cpuMs;
}
