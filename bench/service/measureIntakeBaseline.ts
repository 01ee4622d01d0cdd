import { ALERT_TOKEN } from '../../test/support/serviceEnv';
import { alertTargets, type BenchHost } from './alertTargets';
import type { KeepAliveClient } from './keepAliveClient';
import { sendStorm } from './sendStorm';
import { startIntakeBaseline } from './startIntakeBaseline';

export interface BaselineResult {
  alerts: number;
  concurrency: number;
  acceptedPerSec: number;
  statuses: Record<string, number>;
  /** "opened" must equal the incident count: the floor deduplicates exactly too. */
  outcomes: Record<string, number>;
}

/**
 * The storm's payloads, count and concurrency against the bare intake floor (node:http + one
 * EVALSHA per request, a process of its own on the same Redis db): what the machine allows
 * before any of portbot's work. Ports of its own, so its keys never meet portbot's incidents.
 */
export async function measureIntakeBaseline(
  client: KeepAliveClient,
  hosts: readonly BenchHost[],
  redisUrl: string,
  opts: { alerts: number; incidents: number; concurrency: number; firstPort: number },
): Promise<BaselineResult> {
  const baseline = await startIntakeBaseline(redisUrl, ALERT_TOKEN);
  try {
    const targets = alertTargets(hosts, opts.firstPort, opts.incidents);
    const sent = await sendStorm(client, [baseline.port], targets, opts.alerts, opts.concurrency);
    return {
      alerts: sent.alerts,
      concurrency: opts.concurrency,
      acceptedPerSec: sent.acceptedPerSec,
      statuses: sent.statuses,
      outcomes: sent.outcomes,
    };
  } finally {
    await baseline.stop();
  }
}
