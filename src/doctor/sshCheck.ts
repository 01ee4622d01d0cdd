import type { HostConfig } from '../domain/HostConfig';
import { check, type DoctorCheck } from './DoctorCheck';
import type { SshFacts } from '../domain/DoctorProbes';

type HostFacts = Pick<HostConfig, 'name' | 'address' | 'port' | 'user'> &
  Partial<Pick<HostConfig, 'knownHostsPath' | 'hostKey'>>;

/** What to do for each SSH failure class (the message already says what happened). */
function fixFor(host: HostFacts, code: string): string {
  const where = `${host.address} port ${host.port}`;
  switch (code) {
    case 'HOST_KEY_MISMATCH':
      return host.hostKey !== undefined
        ? `if the host was reinstalled, check the new key out of band (ssh-keygen -lf on the host) and update its hostKey pin; otherwise treat it as an attack`
        : `if the host was reinstalled, check the new key out of band, then \`ssh-keygen -R ${host.address} -f ${host.knownHostsPath ?? 'KNOWN_HOSTS'}\` and add the new one; otherwise treat it as an attack`;
    case 'HOST_KEY_UNKNOWN':
      return `add its key to ${host.knownHostsPath ?? 'the known_hosts file'} (\`ssh-keyscan -p ${host.port} ${host.address}\`, after comparing the fingerprint with the host's own)`;
    case 'SSH_TIMEOUT':
      return `check that ${where} is the right address and reachable from here (routing, firewall, host down)`;
    case 'SSH_REFUSED':
      return `start sshd on the host, or correct its port in the inventory (now ${host.port})`;
    case 'SSH_AUTH':
      return `install the read-only public key in ~${host.user}/.ssh/authorized_keys on the host, or correct user/privateKeyPath in the inventory`;
    default:
      return `try \`ssh -p ${host.port} ${host.user}@${host.address} true\` from this machine to see what the host says`;
  }
}

/** One host: reachable over SSH with the read-only credential, key verified, `true` runs. */
export function sshCheck(host: HostFacts, facts: SshFacts): DoctorCheck {
  if (!facts.ok) return check('ssh', host.name, 'fail', facts.message, fixFor(host, facts.code));
  const login = `${host.user}@${host.address}:${host.port}`;
  if (facts.exitCode !== 0) {
    return check(
      'ssh',
      host.name,
      'fail',
      `${login}: logged in, but \`true\` exited ${facts.exitCode ?? 'by signal'}: this login cannot run the probes`,
      "check the account's shell and any forced command in authorized_keys",
    );
  }
  const pinned = host.hostKey !== undefined ? 'hostKey pin' : 'known_hosts';
  return check(
    'ssh',
    host.name,
    'ok',
    `${login}: host key ${facts.fingerprint} matches ${pinned}; \`true\` ran in ${facts.durationMs} ms`,
  );
}
