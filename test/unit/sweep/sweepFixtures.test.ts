import type { HaGroupConfig } from '../../../src/domain/HostConfig';
import type { Runbook } from '../../../src/domain/Runbook';
import type { SweepProbe } from '../../../src/domain/SweepProbe';
import { assembleSweepProbe } from '../../../src/probes/assembleSweepProbe';
import { splitSections } from '../../../src/probes/splitSections';
import { findHostRisks } from '../../../src/sweep/findHostRisks';
import { conntrackRisk } from '../../../src/sweep/portRisks';
import { fixture } from '../probes/fixture';

// Real sweep batches captured on the lab (see the .cmd file beside each fixture).
function runbook(kind: 'nginx' | 'haproxy'): Runbook {
  const nginx = kind === 'nginx';
  return {
    kind,
    binary: `/usr/sbin/${kind}`,
    programs: [kind],
    pidFile: `/run/${kind}.pid`,
    unit: `${kind}.service`,
    configFile: nginx ? '/etc/nginx/nginx.conf' : '/etc/haproxy/haproxy.cfg',
    errorLog: 'x',
    logPatterns: { addressInUse: 'x', permissionDenied: 'x', addressNotAvailable: 'x' },
    configListen: nginx ? 'nginx-listen' : 'haproxy-bind',
    commands: { configTest: 'x', start: 's', reload: 'r', restart: 'r', stop: 's' },
  };
}
const edge: HaGroupConfig = {
  name: 'edge',
  kind: 'keepalived',
  vip: '10.77.0.100',
  members: ['lb-01', 'lb-02'],
};

function probeOf(
  name: string,
  nonce: string,
  kind: 'nginx' | 'haproxy',
  opts: { sudo?: boolean; ha?: HaGroupConfig } = {},
): SweepProbe {
  const lb = runbook(kind);
  return assembleSweepProbe({
    host: name,
    params: {
      nonce,
      sudo: opts.sudo ?? false,
      lb: { configFile: lb.configFile, followIncludes: kind === 'nginx' },
      vip: opts.ha?.vip ?? null,
    },
    lb,
    ha: opts.ha ?? null,
    sections: splitSections(fixture(`${name}.txt`), nonce),
  });
}

const risks = (p: SweepProbe, kind: 'nginx' | 'haproxy') =>
  findHostRisks({ name: p.host, labels: {}, inventoryPorts: [], lbPrograms: [kind], probe: p });

describe('sweep batches captured on the lab', () => {
  it('healthy nginx MASTER: LB port 80 only through the include of sites-enabled, no risk', () => {
    const p = probeOf('sweep-nginx-lb01-root', 'sweepfixture01', 'nginx', { ha: edge });
    expect(p.configListens).toEqual(['0.0.0.0:80', '[::]:80']);
    expect(p.sysctls.ipLocalPortRange).toEqual({ from: 32768, to: 60999 });
    expect(p.ephemeralInUse).toBe(0);
    expect(p.conntrack).toEqual({ count: 0, max: 262144 });
    expect(p.ha).toMatchObject({ holdsVip: true, keepalivedRunning: true });
    expect(p.listeners.filter((s) => s.localPort === 80).map((s) => s.owners[0]?.comm)).toEqual([
      'nginx',
      'nginx',
    ]);
    expect(p.missing.map((m) => m.code)).toEqual([]);
    expect(risks(p, 'nginx')).toEqual({ lbPorts: [80], risks: [] });
  });

  it('HAProxy with two frontends binding :80: duplicate-listen', () => {
    const p = probeOf('sweep-haproxy-lb03-duplicate', 'sweepfixture03', 'haproxy');
    expect(p.configListens).toEqual(['0.0.0.0:80', '0.0.0.0:80']);
    const r = risks(p, 'haproxy');
    expect(r.risks.map((x) => [x.code, x.port, x.severity])).toEqual([
      ['duplicate-listen', 80, 'medium'],
    ]);
  });

  it('sudo user, python3 on :80: foreign-listener naming it (owners read through sudo ss)', () => {
    const p = probeOf('sweep-nginx-lb04-sudo-rogue', 'sweepfixture04', 'nginx', { sudo: true });
    expect(p.missing.map((m) => m.code)).not.toContain('owners-hidden');
    const r = risks(p, 'nginx');
    expect(r.risks.map((x) => [x.code, x.port, x.subject])).toEqual([
      ['foreign-listener', 80, 'python3'],
    ]);
    expect(r.risks[0]?.detail).toMatch(
      /^python3 \(pid 24\) listens on port 80 \(tcp 0\.0\.0\.0:80\)/,
    );
    // sshd is pid 1 in a lab host: pid 1 alone does not make a systemd socket unit
    expect(r.risks.map((x) => x.code)).not.toContain('socket-unit-overlap');
  });

  // The kernel does not let a network namespace lower nf_conntrack_max (EACCES on 6.18) and the
  // lab has no netfilter rules to fill the table: the captured numbers are read, then judged
  // against the threshold.
  it('conntrack pressure: above 80 % of the captured nf_conntrack_max', () => {
    const p = probeOf('sweep-nginx-lb01-root', 'sweepfixture01', 'nginx', { ha: edge });
    const max = p.conntrack?.max ?? 0;
    expect(conntrackRisk(p)).toBeNull();
    expect(conntrackRisk({ ...p, conntrack: { count: Math.floor(max * 0.8), max } })).toBeNull();
    const medium = conntrackRisk({ ...p, conntrack: { count: Math.floor(max * 0.81), max } });
    expect(medium).toMatchObject({ code: 'conntrack-pressure', port: null, severity: 'medium' });
    expect(medium?.detail).toContain(`of nf_conntrack_max ${max}`);
    expect(medium?.evidence.map((e) => e.probe)).toEqual(['conntrack']);
    expect(conntrackRisk({ ...p, conntrack: { count: max, max } })?.severity).toBe('high');
  });
});
