import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../../../src/config/loadInventory';
import { loadProtectedAgents } from '../../../src/config/loadProtectedAgents';
import { defaultRunbooksDir, loadRunbooks } from '../../../src/config/loadRunbooks';
import { PortbotError } from '../../../src/domain/PortbotError';

function inventory(extra: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'portbot-agents-'));
  const file = join(dir, 'inventory.yaml');
  writeFileSync(
    file,
    `hosts:\n  - name: lb-01\n    address: 10.0.0.11\n    hostKey: "SHA256:3Wq1Jc2p8rXo0dR7yq3ZkKf1zq2xYzM5c9mJm2c6h1E"\n${extra}`,
  );
  return file;
}

describe('protected agents (runbooks/protected-agents.yaml, inventory protectedAgents)', () => {
  it('the shipped list loads, and is not read as an LB runbook', () => {
    const agents = loadProtectedAgents(defaultRunbooksDir());
    expect(agents.find((a) => a.name === 'node_exporter')).toEqual({
      name: 'node_exporter',
      description: 'Prometheus node exporter',
      programs: ['node_exporter', 'prometheus-node-exporter', 'prometheus-node'],
      team: 'monitoring',
      portFlags: ['--web.listen-address'],
    });
    expect([...loadRunbooks(defaultRunbooksDir()).keys()].sort()).toEqual(['haproxy', 'nginx']);
  });

  it('the inventory adds agents and replaces one of the same name', () => {
    const inv = loadInventory(
      inventory(
        'protectedAgents:\n' +
          '  - { name: node_exporter, programs: [node_exporter], team: sre-observability, portFlags: [--web.listen-address] }\n' +
          '  - { name: sensor-x, programs: [sensorxd], team: secops }\n',
      ),
      new Set(['nginx']),
    );
    const byName = new Map((inv.protectedAgents ?? []).map((a) => [a.name, a]));
    expect(byName.get('node_exporter')?.team).toBe('sre-observability');
    expect(byName.get('sensor-x')).toEqual({
      name: 'sensor-x',
      programs: ['sensorxd'],
      team: 'secops',
      portFlags: [],
    });
    expect(byName.has('falcon-sensor')).toBe(true);
  });

  it('refuses an entry without a team, or a flag that is not one', () => {
    let err: unknown;
    try {
      loadInventory(
        inventory(
          'protectedAgents:\n  - { name: a, programs: [a] }\n  - { name: b, programs: [b], team: t, portFlags: ["rm -rf"] }\n',
        ),
        new Set(['nginx']),
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PortbotError);
    const message = (err as PortbotError).message;
    expect(message).toMatch(/protectedAgents\[0\]\.team: missing; expected the owning team/);
    expect(message).toMatch(/protectedAgents\[1\]\.portFlags\[0\]: expected a flag like/);
  });
});
