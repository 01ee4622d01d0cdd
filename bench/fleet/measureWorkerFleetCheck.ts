import { FLEET_CHECK_QUEUE } from '../../src/queue/jobTypes';
import { ALERT_CHANNEL, ALLOWED_USER, SIGNING_SECRET } from '../../test/support/serviceEnv';
import { httpTransport } from '../../test/support/slackTransport';
import { clockTicksPerSecond, readProcTimes } from '../procCpu';
import { BENCH_REDIS_DB, startServiceStack, type ServiceStack } from '../service/startServiceStack';
import { round } from '../stats';
import { establishedSshConnections, statusMb } from './procStatus';

/** SshPool's default idle timeout (the worker sets none): pooled connections close after it. */
export const POOL_IDLE_TIMEOUT_MS = 60_000;
const CHECK_TIMEOUT_MS = 240_000;
const CLOSE_TIMEOUT_MS = POOL_IDLE_TIMEOUT_MS + 60_000;
/** After the last connection closed: the pool's sockets, timers and buffers are released by then. */
const AFTER_CLOSE_SETTLE_MS = 5_000;

export interface WorkerFleetCheckResult {
  hosts: number;
  /** `/port check all 80` posted → the check's BullMQ parent completed (summary and replies posted). */
  checkWallMs: number;
  /** Worker CPU (utime + stime) from the command to the parent's completion, per host. */
  workerCpuMsPerHost: number;
  /** Most established SSH connections the worker held at once (must be every host). */
  peakConnections: number;
  /**
   * VmRSS: idle worker before the check; highest while it held every host's connection; VmHWM
   * (its peak ever) at the check's end; after the pool's idle timeout closed them all.
   */
  rssMb: { idleBefore: number; pooled: number; peak: number; afterClose: number };
  /** Last pooled connection closed, measured from the parent's completion. */
  closedAfterMs: number;
}

let running: (() => Promise<void>) | undefined;

/** Stops the worker stack if a fleet measurement is under way (signal, time limit). */
export async function stopWorkerFleetCheck(): Promise<void> {
  const stop = running;
  running = undefined;
  await stop?.();
}

/**
 * One real `portbot worker` (with `portbot serve`, the Slack stand-in and Redis db 15, as the
 * service part) runs `/port check all 80` over every host of the inventory. RSS is read from
 * the worker's /proc/PID/status: idle before, once the check is done and every host's
 * connection is pooled, and after the pool's idle timeout has closed them all.
 */
export async function measureWorkerFleetCheck(
  inventoryPath: string,
  hosts: number,
  log: (msg: string) => void,
): Promise<WorkerFleetCheckResult> {
  log(`fleet: starting serve + worker on redis db ${BENCH_REDIS_DB}`);
  const stack = await startServiceStack(inventoryPath, (stop) => (running = stop));
  try {
    const pid = stack.worker.child.pid;
    if (pid === undefined) throw new Error('the worker has no pid');
    const idleBefore = mb(pid, 'VmRSS');
    const slack = httpTransport(() => stack.serves[0]?.port ?? 0, SIGNING_SECRET);
    const hz = clockTicksPerSecond();
    const cpu0 = readProcTimes(pid)?.self ?? 0;
    log(`fleet: check all 80 over ${hosts} hosts through the worker (pid ${pid})`);
    const t0 = performance.now();
    const answer = await slack.command({
      text: 'check all 80',
      user_id: ALLOWED_USER,
      channel_id: ALERT_CHANNEL,
    });
    if (answer.status !== 200) throw new Error(`check all answered HTTP ${answer.status}`);
    // Connections close 60 s after their last exec, so the first hosts' may close before a slow
    // check ends: RSS is sampled while the worker holds every host's connection, the highest kept.
    let pooled = 0;
    let peakConnections = 0;
    await until('the fleet check to complete', CHECK_TIMEOUT_MS, async () => {
      const n = establishedSshConnections(pid);
      peakConnections = Math.max(peakConnections, n);
      if (n === hosts) pooled = Math.max(pooled, mb(pid, 'VmRSS'));
      return parentDone(stack);
    });
    const checkWallMs = performance.now() - t0;
    const cpu1 = readProcTimes(pid)?.self ?? cpu0;
    const backlog = await stack.backlog();
    if (backlog.failed > 0) throw new Error(`${backlog.failed} fleet jobs failed`);
    if (peakConnections !== hosts)
      throw new Error(`the worker held at most ${peakConnections} SSH connections, not ${hosts}`);
    const peak = mb(pid, 'VmHWM');
    log(
      `fleet: ${hosts} pooled, worker RSS ${pooled.toFixed(1)} MB; waiting for the pool's ${POOL_IDLE_TIMEOUT_MS / 1000} s idle timeout`,
    );
    const tDone = performance.now();
    await until('the pooled connections to close', CLOSE_TIMEOUT_MS, () =>
      Promise.resolve(establishedSshConnections(pid) === 0),
    );
    const closedAfterMs = performance.now() - tDone;
    await new Promise((r) => setTimeout(r, AFTER_CLOSE_SETTLE_MS));
    return {
      hosts,
      checkWallMs: round(checkWallMs),
      workerCpuMsPerHost: round(((cpu1 - cpu0) * 1000) / hz / hosts),
      peakConnections,
      rssMb: { idleBefore, pooled, peak, afterClose: mb(pid, 'VmRSS') },
      closedAfterMs: round(closedAfterMs),
    };
  } finally {
    running = undefined;
    await stack.stop();
  }
}

function mb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const v = statusMb(pid, field);
  if (v === undefined) throw new Error(`the worker (pid ${pid}) is gone`);
  return round(v);
}

/** The check's BullMQ parent (`fleet-FLEET-<n>`) completed: its summary and replies are posted. */
async function parentDone(stack: ServiceStack): Promise<boolean> {
  const done = await stack.redis.zrange(`portbot:${FLEET_CHECK_QUEUE}:completed`, '0', '-1');
  return done.some((id) => /^fleet-FLEET-\d+$/.test(id));
}

async function until(what: string, timeoutMs: number, ok: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await ok())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
