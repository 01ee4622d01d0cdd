import type { HostConfig } from '../domain/HostConfig';
import { PortbotError } from '../domain/PortbotError';
import { describeHost } from './describeHost';
import { hostKeyFingerprint, normalizeFingerprint } from './hostKeyFingerprint';
import { checkKnownHosts, entriesForHost } from './matchKnownHosts';
import type { ParsedKnownHosts } from './parseKnownHosts';

/** How one connection checks the key the server presents. */
export interface HostKeyPolicy {
  /** null when the key is trusted; otherwise the error to report instead of ssh2's "Host denied". */
  verify(keyBlob: Buffer): PortbotError | null;
  /** Host key algorithms to offer, restricted to the types known_hosts holds; null = ssh2 default. */
  serverHostKeyAlgorithms: string[] | null;
}

// ssh2's default preference order; `ssh-rsa` keys are also served as rsa-sha2-* signatures.
const ALGORITHMS_BY_KEY_TYPE: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

function algorithmsFor(keyTypes: string[]): string[] | null {
  const algos: string[] = [];
  for (const type of Object.keys(ALGORITHMS_BY_KEY_TYPE)) {
    if (keyTypes.includes(type)) algos.push(...(ALGORITHMS_BY_KEY_TYPE[type] ?? []));
  }
  // An unknown type (e.g. ssh-dss) in known_hosts: let ssh2 offer everything rather than guess.
  const allKnown = keyTypes.every((t) => t in ALGORITHMS_BY_KEY_TYPE);
  return algos.length > 0 && allKnown ? algos : null;
}

export function pinnedHostKeyPolicy(host: HostConfig, pin: string): HostKeyPolicy {
  const expected = normalizeFingerprint(pin);
  if (expected === null) {
    throw new PortbotError(
      'HOST_KEY_UNKNOWN',
      `${describeHost(host)}: hostKey pin is not in "SHA256:<base64>" form as ssh-keygen -lf prints it`,
    );
  }
  return {
    serverHostKeyAlgorithms: null,
    verify(keyBlob) {
      const presented = hostKeyFingerprint(keyBlob);
      if (presented === expected) return null;
      return new PortbotError(
        'HOST_KEY_MISMATCH',
        `${describeHost(host)}: host key mismatch: presented ${presented}, expected ${expected} (hostKey pin); the host was reinstalled or someone is in the middle`,
      );
    },
  };
}

export function knownHostsPolicy(
  host: HostConfig,
  path: string,
  parsed: ParsedKnownHosts,
): HostKeyPolicy {
  const where = `${host.address}:${host.port}`;
  const known = entriesForHost(parsed, host.address, host.port).filter((e) => !e.revoked);
  return {
    serverHostKeyAlgorithms: algorithmsFor([...new Set(known.map((e) => e.keyType))]),
    verify(keyBlob) {
      const presented = hostKeyFingerprint(keyBlob);
      const verdict = checkKnownHosts(parsed, host.address, host.port, keyBlob);
      switch (verdict.status) {
        case 'ok':
          return null;
        case 'unknown':
          return new PortbotError(
            'HOST_KEY_UNKNOWN',
            `${host.name}: host key for ${where} is not in ${path}; add it with ssh-keyscan after checking its fingerprint (presented ${presented})`,
          );
        case 'revoked':
          return new PortbotError(
            'HOST_KEY_MISMATCH',
            `${describeHost(host)}: host key ${presented} is marked @revoked in ${path} line ${verdict.line}`,
          );
        case 'mismatch': {
          const expected = verdict.expected
            .map((e) => `${hostKeyFingerprint(e.keyBlob)} (${e.keyType}, line ${e.line})`)
            .join(', ');
          return new PortbotError(
            'HOST_KEY_MISMATCH',
            `${describeHost(host)}: host key mismatch: presented ${presented}, expected ${expected} from ${path}; the host was reinstalled or someone is in the middle`,
          );
        }
      }
    },
  };
}
