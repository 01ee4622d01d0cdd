import { netnsOf } from '../../test/lab/labTypes';
import { RemoteCpuMeter } from '../RemoteCpuMeter';
import type { BenchHost } from './alertTargets';
import { createKeepAliveClient } from './keepAliveClient';
import { measureAlertLatency } from './measureAlertLatency';
import { measureAlertStorm, type StormOptions } from './measureAlertStorm';
import { measureIntakeBaseline } from './measureIntakeBaseline';
import { testRedisUrl } from '../../test/support/testRedis';
import type { ServiceBenchResult } from './serviceReportRows';
import { BENCH_REDIS_DB, startServiceStack } from './startServiceStack';

/** The numbers: ≥ 50 incidents; 10,000 alerts over 100 incidents. */
export const SERVICE_CONFIG = {
  latency: { incidents: 60, warmupPerHost: 2, firstPort: 20001 },
  storm: { alerts: 10_000, incidents: 100, concurrency: 64, drainTimeoutMs: 45_000 },
  stormFirstPort: { oneServe: 30001, twoServes: 31001, baseline: 32001 },
} as const;

let running: (() => Promise<void>) | undefined;
let stopping: Promise<void> | undefined;

/**
 * Stops whatever the service bench started (processes, stand-in, Redis db). Every caller (the
 * bench's own finally, a signal or the time limit) gets the same promise, so none of them goes
 * on to exit while the processes are still being stopped.
 */
export function stopServiceBench(): Promise<void> {
  const stop = running;
  running = undefined;
  if (stop) stopping = stop();
  return stopping ?? Promise.resolve();
}

/**
 * Real `portbot serve` + `portbot worker` (compiled dist) on Redis db 15, the Slack stand-in in
 * this process, the lab hosts given: latency first, then the storm on one serve and on two.
 */
export async function runServiceBench(
  inventoryPath: string,
  hosts: readonly BenchHost[],
  log: (msg: string) => void,
): Promise<ServiceBenchResult> {
  log(`service: starting serve + worker on redis db ${BENCH_REDIS_DB}`);
  const stack = await startServiceStack(inventoryPath, (stop) => (running = stop));
  const labMeter = RemoteCpuMeter.forNetns(hosts.map((h) => netnsOf(h.name)));
  const client = createKeepAliveClient(SERVICE_CONFIG.storm.concurrency);
  try {
    const l = SERVICE_CONFIG.latency;
    log(
      `service: alert → diagnosis, ${hosts.length * l.warmupPerHost} warm-up + ${l.incidents} incidents over ${hosts.map((h) => h.name).join(', ')}`,
    );
    const latency = await measureAlertLatency(stack, client, hosts, l);
    const storm = (firstPort: number): StormOptions => ({ ...SERVICE_CONFIG.storm, firstPort });
    log('service: the same storm against the bare intake floor (node:http + 1 EVALSHA)');
    const baseline = await measureIntakeBaseline(
      client,
      hosts,
      testRedisUrl(BENCH_REDIS_DB),
      storm(SERVICE_CONFIG.stormFirstPort.baseline),
    ).catch((err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }));
    log(
      `service: storm of ${SERVICE_CONFIG.storm.alerts} alerts over ${SERVICE_CONFIG.storm.incidents} incidents, 1 serve`,
    );
    const one = await measureAlertStorm(
      stack,
      client,
      stack.serves,
      hosts,
      storm(SERVICE_CONFIG.stormFirstPort.oneServe),
      labMeter,
    );
    let two: ServiceBenchResult['stormTwoServes'] = null;
    if (one.drainMs !== null) {
      log('service: the same storm over 2 serve processes');
      two = await stack
        .addServe()
        .then(() =>
          measureAlertStorm(
            stack,
            client,
            stack.serves,
            hosts,
            storm(SERVICE_CONFIG.stormFirstPort.twoServes),
            labMeter,
          ),
        )
        .catch((err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }));
    } else {
      log('service: the first storm did not settle; skipping the two-serve storm');
    }
    return {
      config: {
        ...SERVICE_CONFIG,
        hosts: hosts.map((h) => h.name),
        redisDb: BENCH_REDIS_DB,
        payload: 'alertmanager webhook v4, one alert per request',
        portbotDefaults:
          'PORTBOT_WORKER_CONCURRENCY=20, PER_HOST=2, REDIAGNOSE 300 s, refresh coalesce 1 s',
      },
      latency,
      baseline,
      storm: one,
      stormTwoServes: two,
    };
  } finally {
    client.close();
    await stopServiceBench();
  }
}
