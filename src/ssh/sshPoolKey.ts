import type { HostConfig } from '../domain/HostConfig';

/**
 * Host fields that decide whether two execs may share a connection: identity plus credentials
 * and trust settings, so a host entry with another key or pin never rides on a verified session
 * opened for a different configuration.
 */
export function sshPoolKey(h: HostConfig): string {
  return JSON.stringify([
    h.name,
    h.address,
    h.port,
    h.user,
    h.privateKeyPath ?? null,
    h.passphraseEnv ?? null,
    h.agentSocket ?? null,
    h.hostKey ?? null,
    h.knownHostsPath ?? null,
  ]);
}
