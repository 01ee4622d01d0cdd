import type { HostConfig } from '../../../src/domain/HostConfig';

/** A valid HostConfig with the inventory's built-in defaults; override what a test cares about. */
export function hostConfig(o: Partial<HostConfig> = {}): HostConfig {
  return {
    name: 'lb-01',
    address: '10.0.0.11',
    port: 22,
    user: 'root',
    sudo: false,
    connectTimeoutMs: 5000,
    commandTimeoutMs: 10000,
    labels: {},
    ...o,
  };
}
