import type { ExecResult } from '../domain/CommandRunner';
import type { HostConfig } from '../domain/HostConfig';

/**
 * Runs an approved, mutating step on a host with the remediation credential (docs/reference/inventory.md),
 * never the read-only one. A separate port from CommandRunner so that nothing holding the
 * diagnostic runner can change a host by mistake. A non-zero exit is returned, not thrown;
 * transport failures throw PortbotError (SSH_* / HOST_KEY_* / COMMAND_TIMEOUT).
 */
export interface RemediationRunner {
  run(host: HostConfig, command: string): Promise<ExecResult>;
}
