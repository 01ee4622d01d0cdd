import type { HostConfig } from '../domain/HostConfig';

/** "lb-01 (10.0.0.11:22)": how every SSH error message names its host. */
export function describeHost(host: Pick<HostConfig, 'name' | 'address' | 'port'>): string {
  return `${host.name} (${host.address}:${host.port})`;
}
