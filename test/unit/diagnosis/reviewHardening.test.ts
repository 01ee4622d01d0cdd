import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diagnose } from '../../../src/diagnosis/diagnose';
import type { Diagnosis } from '../../../src/domain/diagnosis';
import type { Runbook } from '../../../src/domain/Runbook';
import { LIMITS } from '../../../src/probes/catalogue';
import { parseHaproxyBinds } from '../../../src/probes/parsers/parseHaproxyBinds';
import { parseSs } from '../../../src/probes/parsers/parseSs';
import { probesFromCapture } from '../../support/factories/capturedProbes';
import { diagnoseInput, runbook } from '../../support/factories/diagnoseInput';
import {
  lbProbe,
  listener,
  nginxTree,
  owner,
  probeResults,
  processInfo,
} from '../../support/factories/probeResults';

const fixture = (name: string): string =>
  readFileSync(path.join(__dirname, '../../fixtures/probes', name), 'utf8');

/** The nginx runbook with the paths of the captures in /tmp/pbfix (see the .cmd files). */
const pbfixNginx: Runbook = {
  ...runbook('nginx'),
  pidFile: '/tmp/pbfix/nginx.pid',
  errorLog: '/tmp/pbfix/nginx-error.log',
  configFile: '/tmp/pbfix/nginx.conf',
  commands: { ...runbook('nginx').commands, configTest: 'nginx -t -c /tmp/pbfix/nginx.conf' },
};

function diagnoseCapture(file: string, nonce: string, port: number): Diagnosis {
  const lb = pbfixNginx;
  const probes = probesFromCapture({
    text: fixture(file),
    nonce,
    port,
    sudo: false,
    vip: null,
    lb,
    ha: null,
  });
  return diagnose(diagnoseInput(probes, { lb }));
}

const codes = (d: Diagnosis): string[] => d.findings.map((f) => f.code);

describe('socket owners named after ss syntax', () => {
  it('captured: a process named `",pid=1,fd=1)` is named as itself, not as pid 1', () => {
    const d = diagnoseCapture('batch-hostile-comm-7071.txt', 'fixture7071hostile1', 7071);
    expect(d.verdict).toBe('foreign-listener');
    expect(d.occupant).toMatchObject({
      pid: 250,
      comm: '",pid=1,fd=1)',
      cmdline: '/usr/bin/python3 /tmp/hostile.py ",pid=1,fd=1) 7071',
    });
    expect(d.actions.find((a) => a.kind === 'kill-occupant')?.title).toBe(
      'Stop ",pid=1,fd=1) (pid 250)',
    );
    // ss cut the comm at ')': that is how ss prints it, not a mismatch
    expect(codes(d)).not.toContain('owner-name-mismatch');
  });

  it('drops an owner whose comm is not the one /proc/PID/stat shows, with a finding', () => {
    // What a parser misled by the name would hand over: pid 1 as the owner.
    const d = diagnose(
      diagnoseInput(
        probeResults({
          port: 7071,
          sockets: [listener(7071, [owner('', 1, 1)])],
          processes: [processInfo({ pid: 1, ppid: 0, comm: 'systemd', exe: '/usr/lib/systemd' })],
          lb: lbProbe({ managedPid: null }),
        }),
      ),
    );
    expect(d.occupant).toBeNull();
    expect(d.actions.map((a) => a.kind)).not.toContain('kill-occupant');
    expect(d.findings.find((f) => f.code === 'owner-name-mismatch')?.detail).toContain(
      'ss names "" (pid 1) as an owner of 0.0.0.0:7071, but pid 1 is systemd',
    );
  });
});

describe(`more socket holders than LIMITS.maxPids (${LIMITS.maxPids})`, () => {
  it('captured: nginx master + 99 workers sharing the socket is healthy, no kill button', () => {
    const d = diagnoseCapture('batch-nginx-8090-99-workers.txt', 'fixture8090many01', 8090);
    expect(d.verdict).toBe('healthy');
    expect(d.occupant).toMatchObject({ pid: 3, comm: 'nginx', user: 'root' });
    expect(d.actions).toEqual([]);
    expect(codes(d)).toContain('processes-truncated');
    expect(codes(d)).not.toContain('other-holder');
  });

  it('factory: the undescribed workers of the managed master count as managed', () => {
    const t = nginxTree(900);
    const workers = Array.from({ length: 99 }, (_, i) => owner('nginx', 1000 + i, 6));
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [listener(80, [...workers, owner('nginx', 900, 6)])],
          processes: t.processes.filter((p) => p.pid === 900),
          lb: lbProbe({ managedPid: 900 }),
        }),
      ),
    );
    expect(d.verdict).toBe('healthy');
    expect(d.occupant?.pid).toBe(900);
  });

  it('never offers to kill a pid the probes did not describe', () => {
    const d = diagnose(
      diagnoseInput(
        probeResults({
          sockets: [listener(80, [owner('python3', 4123, 3)])],
          lb: lbProbe({ managedPid: null }),
        }),
      ),
    );
    expect(d.verdict).toBe('foreign-listener');
    expect(d.occupant?.pid).toBe(4123);
    expect(d.actions.map((a) => a.kind)).toEqual(['restart-lb']);
  });
});

describe('UDP sockets on a TCP LB port', () => {
  // captured: udp 0.0.0.0:443 held by "quic", tcp 0.0.0.0:443 held by "web"
  const [udp, tcp] = parseSs(fixture('ss-tcp-and-udp-443.txt'));

  it('a UDP socket alone does not hold the port; it becomes a finding', () => {
    const quic = processInfo({ pid: udp?.owners[0]?.pid ?? 0, comm: 'quic' });
    const d = diagnose(
      diagnoseInput(
        probeResults({
          port: 443,
          sockets: udp ? [udp] : [],
          processes: [quic],
          lb: lbProbe({ managedPid: null, configListens: ['0.0.0.0:443'] }),
        }),
      ),
    );
    expect(d.verdict).toBe('port-free-lb-down');
    expect(d.occupant).toBeNull();
    expect(d.findings.find((f) => f.code === 'udp-socket-on-port')?.detail).toMatch(
      /^quic \(pid \d+\) has UDP 0\.0\.0\.0:443 open: it does not block a TCP bind/,
    );
  });

  it('with a TCP listener too, the TCP one is the occupant', () => {
    const web = processInfo({ pid: tcp?.owners[0]?.pid ?? 0, comm: 'web' });
    const quic = processInfo({ pid: udp?.owners[0]?.pid ?? 0, comm: 'quic' });
    const d = diagnose(
      diagnoseInput(
        probeResults({
          port: 443,
          sockets: [udp, tcp].filter((s) => s !== undefined),
          processes: [web, quic],
          lb: lbProbe({ managedPid: null }),
        }),
      ),
    );
    expect(d.verdict).toBe('foreign-listener');
    expect(d.occupant?.comm).toBe('web');
    expect(codes(d)).toContain('udp-socket-on-port');
    expect(codes(d)).not.toContain('other-holder');
  });
});

describe('HAProxy dual-stack binds', () => {
  it('captured config with bind ipv4@:7080 and ipv6@:7080 is not a config conflict', () => {
    const configListens = parseHaproxyBinds(fixture('config-haproxy-dualstack.cfg')).map(
      (b) => b.address,
    );
    const haproxy = processInfo({ pid: 23848, comm: 'haproxy', exe: '/usr/sbin/haproxy' });
    const d = diagnose(
      diagnoseInput(
        probeResults({
          port: 7080,
          sockets: [
            listener(7080, [owner('haproxy', 23848, 6)]),
            listener(7080, [owner('haproxy', 23848, 4)], '*:7080'),
          ],
          processes: [haproxy],
          lb: lbProbe({
            kind: 'haproxy',
            managedPid: 23848,
            configListens,
            configTest: { exitCode: 0, output: fixture('haproxy-c-dualstack.txt').trim() },
          }),
        }),
        { lb: runbook('haproxy'), host: { lb: { kind: 'haproxy' } } },
      ),
    );
    expect(d.verdict).toBe('healthy');
    expect(codes(d)).not.toContain('duplicate-listen');
  });
});
