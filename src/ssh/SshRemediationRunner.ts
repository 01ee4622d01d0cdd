import type { ExecResult } from '../domain/CommandRunner';
import type { HostConfig } from '../domain/HostConfig';
import { PortbotError } from '../domain/PortbotError';
import type { RemediationRunner } from '../remediation/RemediationRunner';
import { describeHost } from './describeHost';
import type { SshPool } from './SshPool';

/**
 * The host as the remediation credential connects to it: same address and host-key trust,
 * the remediation user and key, and nothing of the read-only login (no agent, no passphrase).
 */
export function asRemediationLogin(host: HostConfig): HostConfig {
  const r = host.remediation;
  if (!r) {
    throw new PortbotError(
      'SSH_AUTH',
      `${describeHost(host)}: the inventory has no defaults.remediation credential; nothing may be changed`,
    );
  }
  const login: HostConfig = {
    ...host,
    user: r.user,
    privateKeyPath: r.privateKeyPath,
    sudo: r.sudo,
  };
  delete login.agentSocket;
  delete login.passphraseEnv;
  return login;
}

/**
 * RemediationRunner over its own SshPool: never shares a connection (or pool) with the
 * diagnostic credential. Give it a pool of its own at start-up.
 */
export class SshRemediationRunner implements RemediationRunner {
  constructor(private readonly pool: SshPool) {}

  run(host: HostConfig, command: string): Promise<ExecResult> {
    return this.pool.exec(asRemediationLogin(host), command);
  }
}
