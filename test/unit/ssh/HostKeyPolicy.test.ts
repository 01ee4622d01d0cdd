import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostConfig } from '../../../src/domain/HostConfig';
import { knownHostsPolicy, pinnedHostKeyPolicy } from '../../../src/ssh/HostKeyPolicy';
import { normalizeFingerprint } from '../../../src/ssh/hostKeyFingerprint';
import { parseKnownHosts } from '../../../src/ssh/parseKnownHosts';
import { hostConfig } from '../../support/factories/hostConfig';

// ssh-keyscan output captured on this machine (see the .cmd file) and ssh-keygen -lf of it.
const fixtures = join(__dirname, '../../fixtures/ssh');
const scanned = parseKnownHosts(
  readFileSync(join(fixtures, 'keyscan-127.0.0.1-p42222.known_hosts'), 'utf8'),
);
const blob = (type: string): Buffer => {
  const e = scanned.entries.find((x) => x.keyType === type);
  if (!e) throw new Error(type);
  return e.keyBlob;
};
const FP = {
  rsa: 'SHA256:0DYzT94hRjNUhwvny4C82f9h6x0j7A1armdZVmZ1BMM',
  ecdsa: 'SHA256:+GpjlC1h/ylmPl0LpYdpR0fCHgc8ckmHSGbK7Gfp7Qk',
  ed: 'SHA256:24VQrwcwIwz3dUN/RXyXkZ9hHG8zJoQjA+NeEJLHuZg',
};

const host = (over: Partial<HostConfig> = {}): HostConfig => hostConfig(over);

describe('pinnedHostKeyPolicy', () => {
  test('accepts the pinned key, with or without base64 padding', () => {
    expect(pinnedHostKeyPolicy(host(), FP.ed).verify(blob('ssh-ed25519'))).toBeNull();
    expect(pinnedHostKeyPolicy(host(), `${FP.ed}=`).verify(blob('ssh-ed25519'))).toBeNull();
  });

  test('refuses another key, naming both fingerprints on one line', () => {
    const err = pinnedHostKeyPolicy(host(), FP.rsa).verify(blob('ssh-ed25519'));
    expect(err?.code).toBe('HOST_KEY_MISMATCH');
    expect(err?.message).toContain(`presented ${FP.ed}`);
    expect(err?.message).toContain(`expected ${FP.rsa}`);
    expect(err?.message).toContain('lb-01 (10.0.0.11:22)');
    expect(err?.message).not.toContain('\n');
  });

  test('a pin that is not SHA256:<43 base64 chars> is refused up front', () => {
    expect(() => pinnedHostKeyPolicy(host(), 'MD5:aa:bb')).toThrow(/SHA256:<base64>/);
    expect(normalizeFingerprint('SHA256:short')).toBeNull();
  });
});

describe('knownHostsPolicy', () => {
  const path = '/etc/portbot/known_hosts';

  test('unknown host: the message tells what to do', () => {
    const err = knownHostsPolicy(host(), path, scanned).verify(blob('ssh-ed25519'));
    expect(err?.code).toBe('HOST_KEY_UNKNOWN');
    expect(err?.message).toBe(
      `lb-01: host key for 10.0.0.11:22 is not in ${path}; add it with ssh-keyscan after checking its fingerprint (presented ${FP.ed})`,
    );
  });

  test('known host, other key: presented and expected fingerprints', () => {
    const kh = parseKnownHosts(
      readFileSync(join(fixtures, 'keyscan-127.0.0.2-p22.known_hosts'), 'utf8'),
    );
    const err = knownHostsPolicy(host({ address: '127.0.0.2' }), path, kh).verify(blob('ssh-rsa'));
    expect(err?.code).toBe('HOST_KEY_MISMATCH');
    expect(err?.message).toContain(`presented ${FP.rsa}`);
    expect(err?.message).toContain(`${FP.ed} (ssh-ed25519, line 1)`);
    expect(err?.message).toContain(`${FP.ecdsa} (ecdsa-sha2-nistp256, line 2)`);
  });

  test('revoked key is a mismatch that says so', () => {
    const kh = parseKnownHosts(
      `@revoked 10.0.0.11 ssh-ed25519 ${blob('ssh-ed25519').toString('base64')}\n`,
    );
    const err = knownHostsPolicy(host(), path, kh).verify(blob('ssh-ed25519'));
    expect(err?.code).toBe('HOST_KEY_MISMATCH');
    expect(err?.message).toMatch(/marked @revoked in .* line 1/);
  });

  test('offers only the host key algorithms known_hosts can verify', () => {
    const h = host({ address: '127.0.0.1', port: 42222 });
    const all = knownHostsPolicy(h, path, scanned);
    expect(all.verify(blob('ssh-rsa'))).toBeNull();
    expect(all.serverHostKeyAlgorithms).toEqual([
      'ssh-ed25519',
      'ecdsa-sha2-nistp256',
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
    ]);
    const rsaOnly = parseKnownHosts(`10.0.0.11 ssh-rsa ${blob('ssh-rsa').toString('base64')}\n`);
    expect(knownHostsPolicy(host(), path, rsaOnly).serverHostKeyAlgorithms).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
    ]);
    expect(
      knownHostsPolicy(host({ address: '10.9.9.9' }), path, rsaOnly).serverHostKeyAlgorithms,
    ).toBeNull();
  });
});
