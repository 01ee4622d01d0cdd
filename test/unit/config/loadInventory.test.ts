import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../../../src/config/loadInventory';
import { PortbotError } from '../../../src/domain/PortbotError';

const KINDS = new Set(['nginx', 'haproxy']);

function write(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'portbot-inv-'));
  writeFileSync(join(dir, 'id_ed25519'), 'not a real key');
  writeFileSync(join(dir, 'known_hosts'), '');
  const file = join(dir, 'inventory.yaml');
  writeFileSync(file, yaml);
  return file;
}

function problemsOf(file: string): string[] {
  try {
    loadInventory(file, KINDS);
  } catch (err) {
    expect(err).toBeInstanceOf(PortbotError);
    expect((err as PortbotError).code).toBe('INVENTORY_INVALID');
    return (err as PortbotError).message
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
  }
  throw new Error('expected the inventory to be rejected');
}

const GOOD = `
defaults:
  user: root
  privateKeyPath: ./id_ed25519
  knownHostsPath: ./known_hosts
hosts:
  - name: lb-01
    address: 10.0.0.11
    lb: { kind: nginx, commands: { reload: "nginx -s reload" } }
    haGroup: edge
  - name: lb-02
    address: lb-02.example.net
    port: 2222
    user: diag
    sudo: true
    hostKey: "SHA256:3Wq9gJZ0Qq8qf4P1Yq0cE8Y8q8c2hRr6d2mXx0b7z1A"
    lb: { kind: haproxy }
    haGroup: edge
haGroups:
  - name: edge
    kind: keepalived
    vip: 10.0.0.100
    members: [lb-01, lb-02]
`;

describe('loadInventory', () => {
  it('applies defaults, resolves paths relative to the file and keeps overrides', () => {
    const file = write(GOOD);
    const inv = loadInventory(file, KINDS);
    const [a, b] = inv.hosts;
    expect(a).toMatchObject({
      name: 'lb-01',
      port: 22,
      user: 'root',
      sudo: false,
      connectTimeoutMs: 5000,
    });
    expect(a?.privateKeyPath).toBe(join(file, '..', 'id_ed25519'));
    expect(a?.lb).toEqual({ kind: 'nginx', commands: { reload: 'nginx -s reload' } });
    expect(b).toMatchObject({
      port: 2222,
      user: 'diag',
      sudo: true,
    });
    expect(b?.hostKey).toMatch(/^SHA256:/);
    expect(inv.haGroups).toEqual([
      { name: 'edge', kind: 'keepalived', vip: '10.0.0.100', members: ['lb-01', 'lb-02'] },
    ]);
  });

  it('takes bindErrorWindowMinutes from defaults, a host overriding it, and refuses 0', () => {
    const file = write(
      GOOD.replace('  user: root\n', '  user: root\n  bindErrorWindowMinutes: 30\n').replace(
        '    port: 2222\n',
        '    port: 2222\n    bindErrorWindowMinutes: 240\n',
      ),
    );
    const [a, b] = loadInventory(file, KINDS).hosts;
    expect(a?.bindErrorWindowMinutes).toBe(30);
    expect(b?.bindErrorWindowMinutes).toBe(240);
    expect(loadInventory(write(GOOD), KINDS).hosts[0]?.bindErrorWindowMinutes).toBeUndefined();
    const bad = problemsOf(
      write(GOOD.replace('  user: root\n', '  user: root\n  bindErrorWindowMinutes: 0\n')),
    );
    expect(bad.some((p) => p.includes('defaults.bindErrorWindowMinutes: expected minutes'))).toBe(
      true,
    );
  });

  it('lists every problem at once with file, path and reason', () => {
    const file = write(`
defaults: { privateKeyPath: ./missing_key, knownHostsPath: ./known_hosts }
hosts:
  - { name: lb-01, address: 10.0.0.11, lb: { kind: nginx } }
  - { name: lb-01, address: 10.0.0.12 }
  - { name: lb-03, address: 10.0.0.13, port: ssh }
  - { name: lb-04, address: 10.0.0.14, lb: { kind: traefik }, haGroup: nope }
  - { name: "bad name; rm", address: "10.0.0.15 -oProxyCommand=x", adress: typo }
haGroups:
  - { name: edge, kind: keepalived, vip: 10.0.0.100, members: [lb-01, lb-09] }
`);
    const problems = problemsOf(file);
    const expected = [
      `hosts[2].port: expected integer 1-65535, got 'ssh'`,
      `hosts[4].name: expected a host name of letters, digits`,
      `hosts[4].address: expected an IP address or DNS name, got '10.0.0.15 -oProxyCommand=x'`,
      `hosts[4]: unknown field 'adress'`,
    ];
    for (const e of expected)
      expect(problems.some((p) => p.startsWith(file) && p.includes(e))).toBe(true);
    // schema errors come first; cross-checks run only on a schema-valid file
    expect(problems).toHaveLength(4);
  });

  it('reports cross-reference problems: duplicates, unknown kinds, groups, members, key files', () => {
    const file = write(`
defaults: { privateKeyPath: ./missing_key, knownHostsPath: ./known_hosts }
hosts:
  - { name: lb-01, address: 10.0.0.11, lb: { kind: nginx } }
  - { name: lb-01, address: 10.0.0.12 }
  - { name: lb-04, address: 10.0.0.14, lb: { kind: traefik }, haGroup: nope }
  - { name: lb-05, address: 10.0.0.15, knownHostsPath: /nonexistent/known_hosts }
haGroups:
  - { name: edge, kind: keepalived, vip: 10.0.0.100, members: [lb-01, lb-09] }
`);
    const problems = problemsOf(file).join('\n');
    expect(problems).toContain(`hosts[1].name: duplicate host name 'lb-01' (also hosts[0])`);
    expect(problems).toContain(
      `hosts[2].lb.kind: unknown LB kind 'traefik' (known: haproxy, nginx)`,
    );
    expect(problems).toContain(`hosts[2].haGroup: haGroup 'nope' is not defined in haGroups`);
    expect(problems).toContain(`haGroups[0].members[1]: 'lb-09' is not a host in hosts`);
    expect(problems).toContain('hosts[0].privateKeyPath: key file not found:');
    expect(problems).toContain(
      'hosts[3].knownHostsPath: known_hosts file not found: /nonexistent/known_hosts',
    );
  });

  it('refuses a host whose key cannot be verified', () => {
    const file = write(`hosts:\n  - { name: lb-01, address: 10.0.0.11 }\n`);
    expect(problemsOf(file)).toEqual([
      `${file}: hosts[0]: no hostKey and no knownHostsPath: host keys are always verified`,
    ]);
  });

  it('names the line of a YAML syntax error and a missing file', () => {
    const file = write(`hosts:\n  - name: lb-01\n    address: [unclosed\n`);
    expect(problemsOf(file)[0]).toMatch(new RegExp(`^${file}:\\d+: `));
    expect(() => loadInventory('/nonexistent/inventory.yaml', KINDS)).toThrow(
      '/nonexistent/inventory.yaml: file not found',
    );
  });

  it('reports a missing required field as missing', () => {
    const file = write(
      `defaults: { knownHostsPath: ./known_hosts }\nhosts:\n  - { name: lb-01 }\n`,
    );
    expect(problemsOf(file)).toEqual([
      `${file}: hosts[0].address: missing; expected an IP address or DNS name`,
    ]);
  });
});
