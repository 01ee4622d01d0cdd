import type { HostConfig } from '../domain/HostConfig';
import { PortbotError, isPortbotError } from '../domain/PortbotError';
import type { SshFailureCode } from '../domain/sshErrorCodes';
import { describeHost } from './describeHost';
import { errnoCode } from './errnoCode';

/**
 * Maps what ssh2 / net report into PortbotError codes. Unreachable networks (EHOSTUNREACH,
 * ENETUNREACH) are SSH_TIMEOUT: the same condition as a silently dropped SYN, only reported
 * faster, and equally transient (route/ARP/VIP moving). DNS failures are SSH_ERROR.
 */
export function classifySshError(host: HostConfig, err: unknown): PortbotError {
  if (isPortbotError(err)) return err;
  const code = errnoCode(err);
  const message = oneLine(field(err, 'message') ?? String(err));
  const level = field(err, 'level') ?? '';
  const make = (c: SshFailureCode, what: string): PortbotError =>
    new PortbotError(c, `${describeHost(host)}: ${what}`, { cause: err });

  switch (code) {
    case 'ECONNREFUSED':
      return make('SSH_REFUSED', 'connection refused (is sshd running on that port?)');
    case 'ETIMEDOUT':
      return make('SSH_TIMEOUT', 'connection timed out (ETIMEDOUT)');
    case 'EHOSTUNREACH':
      return make('SSH_TIMEOUT', 'host unreachable (EHOSTUNREACH)');
    case 'ENETUNREACH':
      return make('SSH_TIMEOUT', 'network unreachable (ENETUNREACH)');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make('SSH_ERROR', `cannot resolve ${host.address} (${code})`);
    case 'ECONNRESET':
      return make(
        'SSH_ERROR',
        'connection reset by peer (sshd MaxStartups, tcpwrappers or a firewall?)',
      );
  }
  if (level === 'client-timeout' || /Timed out while waiting for handshake/i.test(message)) {
    return make('SSH_TIMEOUT', `SSH handshake timed out after ${host.connectTimeoutMs} ms`);
  }
  if (level === 'client-authentication' || /authentication methods failed/i.test(message)) {
    return make('SSH_AUTH', `authentication failed for user ${host.user} (${message})`);
  }
  return make('SSH_ERROR', message === '' ? 'SSH failure' : message);
}

function field(err: unknown, name: 'message' | 'level'): string | null {
  if (typeof err !== 'object' || err === null || !(name in err)) return null;
  const v: unknown = (err as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : null;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
