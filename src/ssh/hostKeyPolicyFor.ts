import type { HostConfig } from '../domain/HostConfig';
import { PortbotError } from '../domain/PortbotError';
import { describeHost } from './describeHost';
import { knownHostsPolicy, pinnedHostKeyPolicy, type HostKeyPolicy } from './HostKeyPolicy';
import type { KnownHostsCache } from './KnownHostsCache';

/** The host's pin when it has one, else its known_hosts file; never "accept any key". */
export async function hostKeyPolicyFor(
  host: HostConfig,
  knownHosts: KnownHostsCache,
): Promise<HostKeyPolicy> {
  if (host.hostKey !== undefined) return pinnedHostKeyPolicy(host, host.hostKey);
  if (host.knownHostsPath !== undefined) {
    const parsed = await knownHosts.load(host.knownHostsPath);
    return knownHostsPolicy(host, host.knownHostsPath, parsed);
  }
  throw new PortbotError(
    'HOST_KEY_UNKNOWN',
    `${describeHost(host)}: neither hostKey nor knownHostsPath is set; refusing to connect unverified`,
  );
}
