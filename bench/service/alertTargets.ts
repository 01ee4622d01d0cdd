import { ALERT_TOKEN, alertmanagerPayload } from '../../test/support/serviceEnv';
import type { KeepAliveClient, PostResult } from './keepAliveClient';

/** A lab host as an alert names it: Alertmanager's `instance` label carries address:port. */
export interface BenchHost {
  name: string;
  address: string;
}

export interface AlertTarget {
  host: string;
  port: number;
  /** "host:port", as portbot's root message names the incident. */
  key: string;
  /** Alertmanager webhook v4 body with one firing alert, serialised once. */
  body: Buffer;
}

export const ALERT_PATH = '/alerts/alertmanager';

/** `count` distinct incidents, round-robin over hosts, ports from `firstPort` up. */
export function alertTargets(
  hosts: readonly BenchHost[],
  firstPort: number,
  count: number,
): AlertTarget[] {
  if (hosts.length === 0) throw new Error('no lab hosts for the service bench');
  return Array.from({ length: count }, (_, i) => {
    const h = hosts[i % hosts.length] as BenchHost;
    const port = firstPort + i;
    const body = Buffer.from(JSON.stringify(alertmanagerPayload('firing', `${h.address}:${port}`)));
    return { host: h.name, port, key: `${h.name}:${port}`, body };
  });
}

export function postAlertTo(
  client: KeepAliveClient,
  servePort: number,
  target: AlertTarget,
): Promise<PostResult> {
  return client.postJson(servePort, ALERT_PATH, target.body, ALERT_TOKEN);
}

/** The outcome portbot reported for the one alert in the body ("opened", "repeat", ...). */
export function outcomeOf(res: PostResult): string | undefined {
  try {
    const json = JSON.parse(res.body) as { results?: { outcome?: unknown }[] };
    const o = json.results?.[0]?.outcome;
    return typeof o === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}
