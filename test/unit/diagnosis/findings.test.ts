import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diagnose } from '../../../src/diagnosis/diagnose';
import { diagnoseInput, haGroup, runbook } from '../../support/factories/diagnoseInput';
import {
  haProbe,
  lbProbe,
  listener,
  nginxTree,
  owner,
  probeResults,
  processInfo,
  socketEntry,
} from '../../support/factories/probeResults';

const python = processInfo({ pid: 4123, comm: 'python3', exe: '/usr/bin/python3.11' });

describe('diagnose: hosts without an LB', () => {
  it('still names what holds the port; LB-dependent actions and lb state are absent', () => {
    const d = diagnose(
      diagnoseInput(
        probeResults({ sockets: [listener(80, [owner('python3', 4123)])], processes: [python] }),
        { lb: null },
      ),
    );
    expect(d.verdict).toBe('foreign-listener');
    expect(d.lb).toBeNull();
    expect(d.summary).toBe('port 80 is held by python3 (pid 4123, user root)');
    expect(d.actions.map((a) => a.kind)).toEqual(['kill-occupant']);
  });

  it('an nginx there is just another program (no runbook says it is the LB)', () => {
    const t = nginxTree(900);
    const d = diagnose(
      diagnoseInput(probeResults({ sockets: [t.socket], processes: t.processes }), { lb: null }),
    );
    expect(d.verdict).toBe('foreign-listener');
    expect(d.occupant?.pid).toBe(900);
  });

  it('with nothing on the port it reports the port free and offers nothing to restart', () => {
    const d = diagnose(diagnoseInput(probeResults(), { lb: null }));
    expect(d.verdict).toBe('port-free-lb-down');
    expect(d.summary).toBe(
      'nothing listens on port 80 (lb-01 has no load balancer in the inventory)',
    );
    expect(d.actions).toEqual([]);
    expect(d.evidence.length).toBeGreaterThan(0);
  });

  it('ephemeral collisions apply without an LB, with only the reserve-port advice', () => {
    const d = diagnose(
      diagnoseInput(
        probeResults({
          port: 45000,
          sockets: [
            socketEntry({
              state: 'SYN-SENT',
              localPort: 45000,
              localAddress: '10.0.0.11:45000',
              owners: [owner('curl', 77)],
            }),
          ],
        }),
        { lb: null },
      ),
    );
    expect(d.verdict).toBe('ephemeral-port-collision');
    expect(d.actions.map((a) => a.kind)).toEqual(['reserve-port']);
    expect(d.occupant).toMatchObject({
      pid: 77,
      comm: 'curl',
      socketState: 'SYN-SENT',
      ppid: null,
    });
  });
});

describe('diagnose: ephemeral port details', () => {
  const conn = (port: number) =>
    socketEntry({
      state: 'ESTAB',
      localPort: port,
      localAddress: `10.0.0.11:${port}`,
      owners: [owner('haproxy', 77)],
    });

  it('gives the exact sysctl, keeps existing reservations and says how to persist it', () => {
    const d = diagnose(
      diagnoseInput(
        probeResults({
          port: 40000,
          sockets: [conn(40000)],
          sysctls: { ipLocalReservedPorts: [{ from: 8080, to: 8081 }] },
        }),
      ),
    );
    const reserve = d.actions.find((a) => a.kind === 'reserve-port');
    expect(reserve?.detail).toContain('sysctl -w net.ipv4.ip_local_reserved_ports=8080-8081,40000');
    expect(reserve?.detail).toContain('/etc/sysctl.d/');
    expect(d.actions.find((a) => a.kind === 'restart-lb')?.title).toBe(
      'Start nginx on lb-01 once the port is free',
    );
  });

  it('with no reservations the sysctl is just the port', () => {
    const d = diagnose(diagnoseInput(probeResults({ port: 40000, sockets: [conn(40000)] })));
    expect(d.actions[0]?.detail).toContain('net.ipv4.ip_local_reserved_ports=40000;');
  });

  it('reports the collision with a finding when the range is unknown', () => {
    const d = diagnose(
      diagnoseInput(
        probeResults({ port: 40000, sockets: [conn(40000)], sysctls: { ipLocalPortRange: null } }),
      ),
    );
    expect(d.verdict).toBe('ephemeral-port-collision');
    expect(d.findings.map((f) => f.code)).toContain('ephemeral-range-unknown');
  });

  it.each([
    ['outside ip_local_port_range', 80, {}],
    ['in ip_local_reserved_ports', 40000, { ipLocalReservedPorts: [{ from: 40000, to: 40010 }] }],
  ])(
    'a connection on a port %s is not an ephemeral collision: connection-holds-port, never "port free"',
    (_why, port, sysctls) => {
      const d = diagnose(
        diagnoseInput(probeResults({ port, sockets: [conn(port)], sysctls, lb: lbProbe() })),
      );
      expect(d.verdict).toBe('connection-holds-port');
      expect(d.summary).toContain(`port ${port} is taken by a connection`);
      expect(d.actions.map((a) => a.kind)).not.toContain('reserve-port');
      expect(d.actions.at(-1)?.title).toMatch(/once the port is free$/);
      expect(d.evidence.length).toBeGreaterThan(0);
    },
  );
});

describe('diagnose: containers (cgroup lines from test/fixtures/probes/cgroup-samples.txt)', () => {
  const samples = parseSamples(
    readFileSync(path.join(__dirname, '../../fixtures/probes/cgroup-samples.txt'), 'utf8'),
  );
  const sample = (name: string): string[] => {
    const lines = samples.get(name);
    if (!lines) throw new Error(`no cgroup sample ${name}`);
    return lines;
  };

  it.each([
    'docker-v1-systemd-driver',
    'kubepods-v1-systemd-crio-burstable',
    'podman-v2-rootful-user',
  ])('%s → container-port with escalate-owner only', (name) => {
    const app = processInfo({ pid: 610, comm: 'envoy', cgroup: sample(name) });
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [listener(80, [owner('envoy', 610)])],
          processes: [app],
          lb: lbProbe(),
        }),
      ),
    );
    expect(d.verdict).toBe('container-port');
    expect(d.occupant?.container).not.toBeNull();
    expect(d.actions.map((a) => a.kind)).toEqual(['escalate-owner']);
    expect(d.evidence.map((e) => e.output).join('\n')).toContain(sample(name)[0]);
  });

  it('finds the container in an ancestor when the holder’s own cgroup shows none', () => {
    const parent = processInfo({
      pid: 500,
      comm: 'sh',
      cgroup: sample('docker-v1-systemd-driver'),
    });
    const app = processInfo({
      pid: 510,
      ppid: 500,
      comm: 'node',
      exe: '/usr/local/bin/node',
      cgroup: ['0::/'],
    });
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [listener(80, [owner('node', 510)])],
          processes: [parent, app],
          lb: lbProbe(),
        }),
      ),
    );
    expect(d.verdict).toBe('container-port');
    expect(d.occupant?.pid).toBe(510);
    expect(d.occupant?.container).toContain('9b98bb265ea4');
  });

  it('dockerd itself (docker.service) is a service, not a container; a foreign listener with a unit says to stop the unit', () => {
    const dockerd = processInfo({
      pid: 700,
      comm: 'dockerd',
      cgroup: sample('systemd-service-v1-dockerd'),
    });
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [listener(80, [owner('dockerd', 700)])],
          processes: [dockerd],
          lb: lbProbe(),
        }),
      ),
    );
    expect(d.verdict).toBe('foreign-listener');
    expect(d.occupant?.unit).toBe('docker.service');
    expect(d.actions[0]?.detail).toContain('docker.service');
  });
});

function parseSamples(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of text.split('\n')) {
    const head = /^### (\S+)/.exec(line);
    if (head?.[1]) {
      current = [];
      out.set(head[1], current);
    } else if (current && line.trim() !== '' && !line.startsWith('#')) {
      current.push(line);
    }
  }
  return out;
}

describe('diagnose: findings beside the verdict', () => {
  it('lists everything in probes.missing, near-full conntrack, many TIME-WAIT and a missing binary', () => {
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: Array.from({ length: 150 }, (_, i) =>
            socketEntry({
              state: 'TIME-WAIT',
              localAddress: '10.0.0.11:80',
              peerAddress: `10.0.0.5:${20000 + i}`,
            }),
          ),
          conntrack: { count: 59000, max: 65536 },
          lb: lbProbe({ binaryPresent: false }),
          missing: [
            { code: 'no-systemd', detail: 'PID 1 is not systemd: unit and journal probes skipped' },
            { code: 'no-conntrack', detail: 'no /proc/sys/net/netfilter' },
          ],
        }),
      ),
    );
    expect(d.verdict).toBe('time-wait-only');
    const codes = d.findings.map((f) => f.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'no-systemd',
        'no-conntrack',
        'conntrack-nearly-full',
        'many-time-wait',
        'lb-binary-missing',
      ]),
    );
    expect(d.findings.find((f) => f.code === 'conntrack-nearly-full')?.detail).toContain(
      '59000/65536 (90%)',
    );
    // Evidence rests on the TIME-WAIT lines, not on every probe.
    expect(d.evidence.every((e) => e.probe === 'ss')).toBe(true);
  });

  it('a failing config test beside another verdict is a finding', () => {
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [listener(80, [owner('python3', 4123)])],
          processes: [python],
          lb: lbProbe({
            configTest: {
              exitCode: 1,
              output: 'nginx: configuration file /etc/nginx/nginx.conf test failed',
            },
          }),
        }),
      ),
    );
    expect(d.verdict).toBe('foreign-listener');
    expect(d.findings).toContainEqual({
      code: 'config-test-failed',
      detail: 'nginx -t exited 1: nginx: configuration file /etc/nginx/nginx.conf test failed',
    });
  });

  it('occupant startedAt comes from boot time and clock ticks, user from uid', () => {
    const proc = processInfo({
      pid: 4123,
      comm: 'python3',
      user: null,
      uid: 0,
      startTicks: 12_345_600,
    });
    const d = diagnose(
      diagnoseInput(
        probeResults({ sockets: [listener(80, [owner('python3', 4123)])], processes: [proc] }),
      ),
    );
    expect(d.occupant?.startedAt).toBe('2026-11-19T21:24:16Z');
    expect(d.occupant?.user).toBe('root');
    const nobody = processInfo({ pid: 4124, comm: 'python3', user: null, uid: 1001 });
    const d2 = diagnose(
      diagnoseInput(
        probeResults({ sockets: [listener(80, [owner('python3', 4124)])], processes: [nobody] }),
      ),
    );
    expect(d2.summary).toContain('python3 (pid 4124, uid 1001)');
  });

  it('without /proc details the occupant comes from ss alone', () => {
    const d = diagnose(
      diagnoseInput(probeResults({ sockets: [listener(80, [owner('python3', 4123)])] })),
    );
    expect(d.occupant).toMatchObject({
      pid: 4123,
      comm: 'python3',
      ppid: null,
      exe: null,
      startedAt: null,
      startTicks: null,
    });
  });
});

describe('diagnose: HA state', () => {
  const cases: [
    string,
    { holdsVip: boolean; keepalivedRunning: boolean },
    string,
    string | null,
  ][] = [
    ['keepalived up, VIP held', { holdsVip: true, keepalivedRunning: true }, 'MASTER', null],
    ['keepalived up, no VIP', { holdsVip: false, keepalivedRunning: true }, 'BACKUP', null],
    [
      'keepalived down, VIP still held',
      { holdsVip: true, keepalivedRunning: false },
      'FAULT',
      'vip-without-keepalived',
    ],
    [
      'keepalived down, no VIP',
      { holdsVip: false, keepalivedRunning: false },
      'UNKNOWN',
      'keepalived-not-running',
    ],
  ];
  it.each(cases)('%s → %s', (_name, probe, role, finding) => {
    const d = diagnose(
      diagnoseInput(probeResults({ ha: haProbe(probe), lb: lbProbe() }), { ha: haGroup() }),
    );
    expect(d.ha).toEqual({ group: 'edge', role, vip: '10.0.0.100', holdsVip: probe.holdsVip });
    expect(d.findings.find((f) => f.code === 'vrrp-role')?.detail).toContain(role);
    if (finding) expect(d.findings.map((f) => f.code)).toContain(finding);
  });

  it('an HA group that could not be probed is UNKNOWN with a finding', () => {
    const d = diagnose(diagnoseInput(probeResults({ lb: lbProbe() }), { ha: haGroup() }));
    expect(d.ha?.role).toBe('UNKNOWN');
    expect(d.findings.map((f) => f.code)).toContain('ha-not-probed');
  });

  it('EADDRNOTAVAIL for an address that is not the VIP says the address is not on the host', () => {
    const line =
      '[ALERT] (444) : Binding [/etc/haproxy/haproxy.cfg:12] for frontend fe: cannot bind socket (Cannot assign requested address) for [192.0.2.7:80]';
    const d = diagnose(
      diagnoseInput(
        probeResults({ lb: lbProbe({ kind: 'haproxy', logLines: [line] }), ha: haProbe() }),
        { lb: runbook('haproxy'), ha: haGroup() },
      ),
    );
    expect(d.verdict).toBe('address-not-available');
    expect(d.summary).toContain('192.0.2.7 is not an address of lb-01; ipv4.ip_nonlocal_bind=0');
  });
});
