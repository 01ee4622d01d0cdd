import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../../../src/config/loadInventory';
import { asRemediationLogin } from '../../../src/ssh/SshRemediationRunner';

const KINDS = new Set(['nginx', 'haproxy']);

function inventory(remediation: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'portbot-rem-'));
  for (const f of ['id_ed25519', 'remediate_ed25519', 'known_hosts'])
    writeFileSync(join(dir, f), '');
  const file = join(dir, 'inventory.yaml');
  writeFileSync(
    file,
    `defaults:
  user: portbot-diag
  sudo: true
  privateKeyPath: ./id_ed25519
  knownHostsPath: ./known_hosts
  agentSocket: /run/agent.sock
${remediation}
hosts:
  - { name: lb-01, address: 10.0.0.11, hostKey: "SHA256:3Wq9gJZ0Qq8qf4P1Yq0cE8Y8q8c2hRr6d2mXx0b7z1A" }
`,
  );
  return file;
}

describe('the remediation credential', () => {
  it('is carried into every host, its key made absolute; a non-root user uses sudo by default', () => {
    const file = inventory(
      '  remediation: { user: portbot-remediate, privateKeyPath: ./remediate_ed25519 }',
    );
    const [host] = loadInventory(file, KINDS).hosts;
    expect(host?.remediation).toEqual({
      user: 'portbot-remediate',
      privateKeyPath: join(file, '..', 'remediate_ed25519'),
      sudo: true,
    });
  });

  it('root needs no sudo unless the inventory says so', () => {
    const file = inventory('  remediation: { user: root, privateKeyPath: ./remediate_ed25519 }');
    expect(loadInventory(file, KINDS).hosts[0]?.remediation?.sudo).toBe(false);
  });

  it('logs in with the remediation user and key only, keeping the host-key pin', () => {
    const file = inventory(
      '  remediation: { user: portbot-remediate, privateKeyPath: ./remediate_ed25519, sudo: true }',
    );
    const host = loadInventory(file, KINDS).hosts[0];
    if (!host) throw new Error('no host');
    const login = asRemediationLogin(host);
    expect(login).toMatchObject({
      user: 'portbot-remediate',
      privateKeyPath: join(file, '..', 'remediate_ed25519'),
      sudo: true,
      hostKey: host.hostKey,
      knownHostsPath: host.knownHostsPath,
    });
    expect(login.agentSocket).toBeUndefined();
  });

  it('without one, nothing may be changed on the host', () => {
    const host = loadInventory(inventory(''), KINDS).hosts[0];
    if (!host) throw new Error('no host');
    expect(host.remediation).toBeUndefined();
    expect(() => asRemediationLogin(host)).toThrow(/no defaults.remediation credential/);
  });
});
