import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diagnose } from '../../../src/diagnosis/diagnose';
import type { Runbook } from '../../../src/domain/Runbook';
import { probesFromCapture } from '../../support/factories/capturedProbes';
import { diagnoseInput, haGroup, runbook } from '../../support/factories/diagnoseInput';

/**
 * The whole pure pipeline on REAL batch output captured by the probes (see each fixture's .cmd
 * for the exact buildProbeScript parameters and how it was run): sections → ProbeResults →
 * Diagnosis.
 */
interface Capture {
  file: string;
  nonce: string;
  port: number;
  sudo: boolean;
  vip: string;
  lb: Runbook;
}

function withPaths(kind: 'nginx' | 'haproxy', dir: string, configTest: string): Runbook {
  const base = runbook(kind);
  const log = kind === 'nginx' ? 'nginx-error.log' : 'haproxy.log';
  const conf = kind === 'nginx' ? 'nginx.conf' : 'haproxy.cfg';
  return {
    ...base,
    pidFile: `${dir}/${kind}.pid`,
    errorLog: `${dir}/${log}`,
    configFile: `${dir}/${conf}`,
    commands: { ...base.commands, configTest },
  };
}

function run(c: Capture) {
  const text = readFileSync(path.join(__dirname, '../../fixtures/probes', c.file), 'utf8');
  const ha = haGroup({ vip: c.vip });
  const { lb } = c;
  const probes = probesFromCapture({ ...c, text, ha });
  return diagnose(diagnoseInput(probes, { lb, ha }));
}

describe('diagnose on captured probe batches', () => {
  it('nginx master + workers on 0.0.0.0:80 and [::]:80 → healthy, the master is the occupant', () => {
    const d = run({
      file: 'batch-nginx-80-root.txt',
      nonce: 'fixture80nginx01',
      port: 80,
      sudo: false,
      vip: '10.99.0.100',
      lb: withPaths('nginx', '/tmp/pbcap', 'nginx -t -c /tmp/pbcap/nginx.conf'),
    });
    expect(d.verdict).toBe('healthy');
    expect(d.occupant).toMatchObject({
      pid: 5,
      comm: 'nginx',
      exe: '/usr/sbin/nginx',
      user: 'root',
    });
    expect(d.lb).toEqual({ kind: 'nginx', running: true, pid: 5, listening: true });
    expect(d.evidence.find((e) => e.probe === 'ss')?.output).toContain('pid=5,');
    // Workers are part of the managed instance, not other holders.
    expect(d.findings.map((f) => f.code)).not.toContain('other-holder');
  });

  it('"web server" run from /tmp holding 7070 (read through sudo) → suspicious-occupant', () => {
    const d = run({
      file: 'batch-nginx-7070-sudo.txt',
      nonce: 'fixture7070sudo01',
      port: 7070,
      sudo: true,
      vip: '10.99.0.100',
      lb: runbook('nginx'),
    });
    expect(d.verdict).toBe('suspicious-occupant');
    expect(d.occupant).toMatchObject({ pid: 11, comm: 'web server', exe: '/tmp/pbcap/web server' });
    expect(d.actions.map((a) => a.kind)).toEqual(['escalate-security']);
    expect(d.findings.find((f) => f.code === 'bind-error-in-log')?.detail).toContain(
      'bind() to 0.0.0.0:7070 failed (98',
    );
  });

  it('python client on 127.0.0.1:40000 with the range narrowed to 40000 → ephemeral-port-collision', () => {
    const d = run({
      file: 'batch-haproxy-40000-root-forged-log.txt',
      nonce: 'fixture40000hap01',
      port: 40000,
      sudo: false,
      vip: '10.99.0.101',
      lb: withPaths('haproxy', '/tmp/pbcap', 'haproxy -c -f /tmp/pbcap/haproxy.cfg'),
    });
    expect(d.verdict).toBe('ephemeral-port-collision');
    expect(d.occupant).toMatchObject({
      pid: 24,
      comm: 'python3',
      socketState: 'ESTAB',
      localAddress: '127.0.0.1:40000',
    });
    expect(d.actions.find((a) => a.kind === 'reserve-port')?.detail).toContain(
      'net.ipv4.ip_local_reserved_ports=40000',
    );
    expect(d.evidence.map((e) => e.output).join('\n')).toContain(
      'ip_local_port_range:40000\t40000',
    );
  });
});
