import type { PortbotProcess } from '../../test/support/portbotProcess';
import { ALERT_CHANNEL } from '../../test/support/serviceEnv';
import { round, type Summary } from '../stats';
import { alertTargets, type BenchHost } from './alertTargets';
import { auditStorm, type StormAudit } from './auditStorm';
import type { RemoteCpuMeter } from '../RemoteCpuMeter';
import {
  CpuWatch,
  benchCpu,
  labCpu,
  machineCpu,
  machineField,
  processCpu,
  type CpuShares,
} from './CpuWatch';
import type { KeepAliveClient } from './keepAliveClient';
import { perAlert, redisCommandStats } from './redisCommandStats';
import { sendStorm } from './sendStorm';
import type { ServiceStack } from './startServiceStack';

export interface StormOptions {
  alerts: number;
  incidents: number;
  concurrency: number;
  firstPort: number;
  drainTimeoutMs: number;
}

export interface StormResult extends StormAudit {
  serveProcesses: number;
  alerts: number;
  incidents: number;
  concurrency: number;
  sendMs: number;
  acceptedPerSec: number;
  statuses: Record<string, number>;
  outcomes: Record<string, number>;
  requestMs: Summary;
  /** CPU while the alerts were sent, % of one core; "machine" is every core's busy time. */
  cpuDuringSend: CpuShares;
  /** CPU ms per alert sent, from cpuDuringSend: what one alert costs each process. */
  cpuMsPerAlert: Record<string, number>;
  /** Redis commands (and server µs) per alert while sending, server-wide; busiest first. */
  redisPerAlert: Record<string, { calls: number; usecPerAlert: number }>;
  /** Last 202 → every thread final and both queues empty; null: not within drainTimeoutMs. */
  drainMs: number | null;
}

/** No Slack call for this long means the coalesced counter refreshes are over. */
const QUIET_MS = 1500;
const POLL_MS = 100;

/**
 * 10,000 alerts over 100 incidents as fast as the bench can send them, then waits until the
 * service has settled and audits what reached the stand-in against the dedup rules.
 */
export async function measureAlertStorm(
  stack: ServiceStack,
  client: KeepAliveClient,
  serves: readonly PortbotProcess[],
  hosts: readonly BenchHost[],
  opts: StormOptions,
  labMeter?: RemoteCpuMeter,
): Promise<StormResult> {
  const targets = alertTargets(hosts, opts.firstPort, opts.incidents);
  const samplers = {
    machine: machineCpu(),
    softirq: machineField('softirq'),
    steal: machineField('steal'),
    ...(labMeter ? { lab: labCpu(labMeter) } : {}),
    bench: benchCpu(),
    worker: processCpu(stack.worker.child.pid),
    redis: processCpu(stack.redisPid),
    ...Object.fromEntries(
      serves.map((s, i) => [
        serves.length > 1 ? `serve${i + 1}` : 'serve',
        processCpu(s.child.pid),
      ]),
    ),
  };
  const before = {
    calls: stack.standIn.calls().length,
    failedJobs: (await stack.backlog()).failed,
  };
  const statsBefore = await redisCommandStats(stack.redis);
  const cpu = new CpuWatch(samplers);
  cpu.start();
  const sent = await sendStorm(
    client,
    serves.map((s) => s.port),
    targets,
    opts.alerts,
    opts.concurrency,
  );
  const cpuDuringSend = withOther(cpu.stop());
  const redisPerAlert = perAlert(statsBefore, await redisCommandStats(stack.redis), opts.alerts);
  const sentAt = performance.now();
  const expected = new Map([...sent.perTarget].map(([k, v]) => [k, v.accepted]));

  const settled = async (): Promise<boolean> => {
    for (const t of targets) {
      const threads = stack.tracker.threads(t.key);
      const th = threads[0];
      if (threads.length !== 1 || !th || th.diagnosedAt === undefined || th.replies < 1)
        return false;
      if (th.shownCount !== expected.get(t.key)) return false;
    }
    return (await stack.backlog()).pending === 0;
  };
  let drainMs: number | null = null;
  const deadline = sentAt + opts.drainTimeoutMs;
  while (performance.now() < deadline) {
    if (await settled()) {
      const calls = stack.standIn.calls().length;
      const doneAt = performance.now();
      await new Promise((r) => setTimeout(r, QUIET_MS));
      if (stack.standIn.calls().length === calls && (await settled())) {
        drainMs = round(doneAt - sentAt);
        break;
      }
      continue;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const audit = await auditStorm(stack, ALERT_CHANNEL, targets, sent.perTarget, before);
  return {
    serveProcesses: serves.length,
    alerts: opts.alerts,
    incidents: opts.incidents,
    concurrency: opts.concurrency,
    sendMs: sent.sendMs,
    acceptedPerSec: sent.acceptedPerSec,
    statuses: sent.statuses,
    outcomes: sent.outcomes,
    requestMs: sent.requestMs,
    cpuDuringSend,
    cpuMsPerAlert: Object.fromEntries(
      Object.entries(cpuDuringSend).map(([k, pct]) => [
        k,
        round((pct / 100) * (sent.sendMs / opts.alerts)),
      ]),
    ),
    redisPerAlert,
    drainMs,
    ...audit,
  };
}

/**
 * "other": machine busy time not charged to anything watched (other users of the machine,
 * kernel threads). When it is large, accepted/s measured a shared machine, not portbot.
 */
function withOther(shares: CpuShares): CpuShares {
  const machine = shares.machine;
  if (machine === undefined) return shares;
  // steal is time the machine did not get, so it is not part of its busy time.
  const charged = Object.entries(shares)
    .filter(([k]) => k !== 'machine' && k !== 'steal')
    .reduce((s, [, v]) => s + v, 0);
  return { ...shares, other: round(Math.max(0, machine - charged)) };
}
