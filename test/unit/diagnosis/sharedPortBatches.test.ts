import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diagnose } from '../../../src/diagnosis/diagnose';
import type { Runbook } from '../../../src/domain/Runbook';
import { probesFromCapture } from '../../support/factories/capturedProbes';
import { diagnoseInput, runbook } from '../../support/factories/diagnoseInput';

/**
 * socket-activation, lb-binary-upgrade, lb-reload-generations and reuseport-split on REAL probe
 * batches captured in the lab (each fixture's .cmd says how), through the whole pure pipeline.
 */
function labRunbook(kind: 'nginx' | 'haproxy'): Runbook {
  const base = runbook(kind);
  const configTest =
    kind === 'nginx' ? '/usr/sbin/nginx -t' : '/usr/sbin/haproxy -c -f /etc/haproxy/haproxy.cfg';
  return { ...base, commands: { ...base.commands, configTest } };
}

function run(file: string, nonce: string, kind: 'nginx' | 'haproxy') {
  const text = readFileSync(path.join(__dirname, '../../fixtures/probes', file), 'utf8');
  const lb = labRunbook(kind);
  const probes = probesFromCapture({ text, nonce, port: 80, sudo: false, vip: null, lb, ha: null });
  return { probes, d: diagnose(diagnoseInput(probes, { lb })) };
}

const kinds = (d: { actions: { kind: string }[] }) => d.actions.map((a) => a.kind);

describe('shared and handed-over ports, captured batches', () => {
  it('systemd (pid 1) holds :80 for a socket unit: socket-activation, the unit named, no kill', () => {
    const { probes, d } = run(
      'batch-socket-activation-80-pid1.txt',
      'fixture80socketunit',
      'nginx',
    );
    expect(probes.systemd).toBe(true);
    expect(probes.socketUnits).toEqual([
      {
        listen: '[::]:80',
        type: 'Stream',
        unit: 'portbot-lab-web.socket',
        activates: ['portbot-lab-web.service'],
      },
    ]);
    expect(d.verdict).toBe('socket-activation');
    expect(d.occupant).toMatchObject({ pid: 1, comm: 'systemd', exe: '/usr/lib/systemd/systemd' });
    expect(d.summary).toBe(
      'port 80 is owned by portbot-lab-web.socket (activates portbot-lab-web.service): systemd (pid 1, user root) ' +
        'holds the listening socket; the socket is passed on to python3 (pid 24) — nginx is not running',
    );
    expect(kinds(d)).toEqual(['advice', 'restart-lb']);
    expect(d.actions[0]?.detail).toContain('systemctl disable --now portbot-lab-web.socket');
    expect(d.evidence.find((e) => e.probe === 'activation')).toEqual({
      probe: 'activation',
      command: 'systemctl list-sockets --all --full --no-legend --no-pager --show-types',
      output: '[::]:80 Stream portbot-lab-web.socket portbot-lab-web.service',
    });
    expect(d.evidence.find((e) => e.probe === 'ss')?.output).toContain('("systemd",pid=1,fd=26)');
  });

  it('systemd seen from another PID namespace, its bus out of reach: still socket-activation', () => {
    const { probes, d } = run(
      'batch-socket-activation-80-host.txt',
      'fixture80socketunithost',
      'nginx',
    );
    expect(probes.socketUnits).toBeNull();
    expect(d.verdict).toBe('socket-activation');
    expect(d.occupant).toMatchObject({ pid: 25, comm: 'systemd' });
    expect(d.findings).toContainEqual({
      code: 'socket-units-unlisted',
      detail: 'Failed to list units: Transport endpoint is not connected',
    });
    expect(d.actions[0]?.title).toBe('Find the socket unit on port 80 of lb-01');
    expect(d.actions[0]?.detail).toContain('This systemd is not pid 1');
  });

  it('nginx after USR2, two masters: lb-binary-upgrade, the old master named, advice only', () => {
    const { probes, d } = run('batch-nginx-upgrade-80.txt', 'fixture80nginxupgrade', 'nginx');
    expect(probes.lb?.oldbinPid).toBe(23);
    expect(probes.lb?.managedPid).toBe(27);
    expect(d.verdict).toBe('lb-binary-upgrade');
    expect(d.occupant).toMatchObject({ pid: 23, comm: 'nginx' });
    expect(d.summary).toContain('the new master (pid 27)');
    expect(d.summary).toContain('/run/nginx.pid.oldbin names it');
    expect(kinds(d)).toEqual(['advice', 'advice']);
    expect(d.evidence.find((e) => e.probe === 'lb')?.output).toContain('oldbin=23');
    expect(d.evidence.find((e) => e.probe === 'cmdline.27')?.output).toContain('master process');
  });

  it('three HAProxy generations on :80: lb-reload-generations, the two old ones, oldest first', () => {
    const { d } = run('batch-haproxy-generations-80.txt', 'fixture80haproxygens', 'haproxy');
    expect(d.verdict).toBe('lb-reload-generations');
    expect(d.lb).toMatchObject({ pid: 41, listening: true });
    expect(d.occupant).toMatchObject({ pid: 27, comm: 'haproxy' });
    expect(d.summary).toContain('2 old haproxy processes from earlier reloads (pid 27, 34)');
    expect(kinds(d)).toEqual(['kill-occupant', 'advice']);
    expect(d.actions[0]?.detail).toContain('kill -USR1 27 34');
    expect(d.evidence.find((e) => e.probe === 'cmdline.34')?.output).toMatch(/ -sf( |$)/);
  });

  it('python3 co-binds nginx reuseport socket: reuseport-split, not foreign-listener', () => {
    const { d } = run('batch-nginx-reuseport-80.txt', 'fixture80reuseport', 'nginx');
    expect(d.verdict).toBe('reuseport-split');
    expect(d.occupant).toMatchObject({ pid: 57, comm: 'python3', localAddress: '0.0.0.0:80' });
    expect(d.lb).toMatchObject({ running: true, listening: true, pid: 53 });
    expect(kinds(d)).toEqual(['kill-occupant', 'advice']);
    expect(d.evidence.find((e) => e.probe === 'ss')?.output.split('\n')).toHaveLength(2);
  });
});
