import type { SweepProbe } from '../../../src/domain/SweepProbe';
import { parseK8sProcesses, nodePortRangeOf } from '../../../src/probes/parsers/parseK8sProcesses';
import { parseSocketUnits } from '../../../src/probes/parsers/parseSocketUnits';
import { ephemeralRisk, nodePortRisk, socketUnitRisk } from '../../../src/sweep/portRisks';
import { fixture } from '../probes/fixture';

function probe(over: Partial<SweepProbe> = {}): SweepProbe {
  return {
    host: 'h',
    systemd: true,
    sysctls: {
      ipLocalPortRange: { from: 32768, to: 60999 },
      ipLocalReservedPorts: [],
      ipUnprivilegedPortStart: 1024,
      ipNonlocalBind: 0,
      ipv6NonlocalBind: 0,
    },
    conntrack: null,
    listeners: [],
    ephemeralInUse: 0,
    configListens: [],
    socketUnits: [],
    k8s: [],
    ha: null,
    missing: [],
    evidence: [],
    ...over,
  };
}

describe('socket-unit-overlap', () => {
  it('a socket unit on an LB port, not on others (Debian 12 units, captured)', () => {
    const units = parseSocketUnits(fixture('systemctl-list-sockets-debian-units.txt'));
    const p = probe({ socketUnits: units });
    expect(socketUnitRisk(443, p)).toMatchObject({
      code: 'socket-unit-overlap',
      port: 443,
      subject: 'metrics-agent.socket',
    });
    expect(socketUnitRisk(80, p)).toBeNull();
  });

  it('a unix socket whose path ends in :80 is not port 80', () => {
    const units = parseSocketUnits('/run/app:80   Stream   app.socket   app.service\n');
    expect(units).toHaveLength(1);
    expect(socketUnitRisk(80, probe({ socketUnits: units }))).toBeNull();
  });
});

describe('nodeport-range-overlap', () => {
  const lines = [
    'kubelet 812 /usr/bin/kubelet --config=/var/lib/kubelet/config.yaml',
    'kube-apiserver 2201 kube-apiserver --advertise-address=10.0.0.5 --service-node-port-range=20000-22767 --secure-port=6443',
  ];
  it('kube-apiserver argv gives the range; default 30000-32767 when it is not visible', () => {
    const both = parseK8sProcesses(lines.join('\n'));
    expect(both.map((k) => [k.comm, k.pid])).toEqual([
      ['kubelet', 812],
      ['kube-apiserver', 2201],
    ]);
    expect(nodePortRangeOf(both[1]?.cmdline ?? '')).toEqual({ from: 20000, to: 22767 });
    expect(nodePortRisk(20080, probe({ k8s: both }), {})).toMatchObject({
      subject: '20000-22767',
    });
    expect(nodePortRisk(30080, probe({ k8s: both }), {})).toBeNull();
    const kubeletOnly = probe({ k8s: parseK8sProcesses(lines[0] ?? '') });
    expect(nodePortRisk(30080, kubeletOnly, {})?.detail).toContain(
      '30000-32767 (the Kubernetes default)',
    );
  });
  it('not a node: no kubelet or kube-proxy and no node label', () => {
    expect(nodePortRisk(30080, probe(), {})).toBeNull();
    expect(nodePortRisk(30080, probe(), { 'kubernetes.io/hostname': 'n1' })?.code).toBe(
      'nodeport-range-overlap',
    );
  });
});

describe('port-in-ephemeral-range', () => {
  it('odds from the sockets in use over the usable ports; reserved ports are out', () => {
    const p = probe({
      sysctls: {
        ...probe().sysctls,
        ipLocalPortRange: { from: 40000, to: 40999 },
        ipLocalReservedPorts: [{ from: 40900, to: 40999 }],
      },
      ephemeralInUse: 90,
    });
    expect(ephemeralRisk(40443, p)?.detail).toContain(
      '90 of 900 ephemeral ports in use now: about 1 in 10',
    );
    expect(ephemeralRisk(40950, p)).toBeNull();
    expect(ephemeralRisk(443, p)).toBeNull();
  });
});
