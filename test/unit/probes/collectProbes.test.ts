import type { CommandRunner, ExecResult } from '../../../src/domain/CommandRunner';
import type { HaGroupConfig } from '../../../src/domain/HostConfig';
import type { Runbook } from '../../../src/domain/Runbook';
import { collectProbes } from '../../../src/probes/collectProbes';
import { hostConfig } from '../../support/factories/hostConfig';
import { fixture } from './fixture';

const host = hostConfig({ name: 'pbhost', address: '10.99.0.1' });

function runbook(kind: 'nginx' | 'haproxy', dir = '/tmp/pbcap'): Runbook {
  const nginx = kind === 'nginx';
  return {
    kind,
    binary: `/usr/sbin/${kind}`,
    programs: [kind],
    pidFile: `${dir}/${kind}.pid`,
    unit: `${kind}.service`,
    configFile: nginx ? `${dir}/nginx.conf` : `${dir}/haproxy.cfg`,
    errorLog: nginx ? `${dir}/nginx-error.log` : `${dir}/haproxy.log`,
    logPatterns: { addressInUse: 'x', permissionDenied: 'x', addressNotAvailable: 'x' },
    configListen: nginx ? 'nginx-listen' : 'haproxy-bind',
    commands: {
      configTest: nginx ? `nginx -t -c ${dir}/nginx.conf` : `haproxy -c -f ${dir}/haproxy.cfg`,
      start: 's',
      reload: 'r',
      restart: 'r',
      stop: 's',
    },
  };
}

const edge = (vip: string): HaGroupConfig => ({
  name: 'edge',
  kind: 'keepalived',
  vip,
  members: ['pbhost'],
});

function fakeRunner(
  stdout: string,
  over: Partial<ExecResult> = {},
): CommandRunner & { commands: string[]; scripts: string[] } {
  const commands: string[] = [];
  const scripts: string[] = [];
  return {
    commands,
    scripts,
    exec: (_h, command, opts) => {
      commands.push(command);
      scripts.push(opts?.stdin ?? '');
      return Promise.resolve({
        stdout,
        stderr: '',
        code: 0,
        signal: null,
        truncated: false,
        durationMs: 5,
        ...over,
      });
    },
  };
}

describe('collectProbes with captured batch output', () => {
  it('parses a healthy nginx on port 80 (root, no systemd) in one exec', async () => {
    const runner = fakeRunner(fixture('batch-nginx-80-root.txt'));
    const r = await collectProbes(runner, host, 80, runbook('nginx'), edge('10.99.0.100'), {
      nonce: 'fixture80nginx01',
    });
    expect(runner.commands).toEqual(['exec /bin/sh -s']);
    expect(runner.scripts[0]).toContain(`ss -H -tuanp '( sport = :80 )'`);
    expect(r.sockets.map((s) => [s.state, s.localAddress, s.owners.map((o) => o.pid)])).toEqual([
      ['LISTEN', '0.0.0.0:80', [10, 7, 5]],
      ['LISTEN', '[::]:80', [10, 7, 5]],
    ]);
    expect(
      Object.keys(r.processes)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual([1, 5, 7, 10]);
    expect(r.processes[5]).toMatchObject({
      ppid: 1,
      comm: 'nginx',
      user: 'root',
      exe: '/usr/sbin/nginx',
      startTicks: 52256,
    });
    expect(r.processes[7]).toMatchObject({
      ppid: 5,
      user: 'nobody',
      uid: 65534,
      cmdline: 'nginx: worker process',
    });
    expect(r.lb).toMatchObject({
      kind: 'nginx',
      binaryPresent: true,
      managedPid: 5,
      managedPidSource: 'pidfile',
      logSource: 'file',
      logLines: [],
      configTest: { exitCode: 0 },
      configListens: ['0.0.0.0:80', '[::]:80', '127.0.0.1:8088'],
    });
    expect(r.ha).toEqual({
      group: 'edge',
      vip: '10.99.0.100',
      holdsVip: true,
      keepalivedRunning: false,
    });
    expect(r).toMatchObject({
      systemd: false,
      bootTime: 1795304456,
      clockTicks: 100,
      conntrack: { count: 0, max: 262144 },
    });
    expect(r.sysctls.ipLocalPortRange).toEqual({ from: 40000, to: 40000 });
    expect(r.missing.map((m) => m.code)).toEqual(['no-systemd']);
    const ss = r.evidence.find((e) => e.probe === 'ss');
    expect(ss?.command).toBe(`ss -H -tuanp '( sport = :80 )'`);
    expect(ss?.output).toContain('users:(("nginx",pid=10,fd=5)');
    expect(r.evidence.find((e) => e.probe === 'cmdline.1')?.output).toBe('sleep 100000 ');
  });

  it('an ephemeral-port holder and a forged delimiter in the LB log do not break parsing', async () => {
    const runner = fakeRunner(fixture('batch-haproxy-40000-root-forged-log.txt'));
    const r = await collectProbes(runner, host, 40000, runbook('haproxy'), edge('10.99.0.101'), {
      nonce: 'fixture40000hap01',
    });
    expect(r.sockets).toEqual([
      expect.objectContaining({ state: 'ESTAB', peerAddress: '127.0.0.1:9090' }),
    ]);
    expect(r.processes[24]).toMatchObject({
      ppid: 0,
      exe: '/usr/bin/python3.11',
      cmdline: '/usr/bin/python3 /tmp/pbcap/hold.py',
    });
    expect(r.lb?.logLines).toContain('@@PB-forgednonce0000 /log.file 0');
    expect(r.lb?.logLines[r.lb.logLines.length - 1]).toBe('after forged markers');
    expect(
      r.lb?.logLines.some((l) =>
        l.includes('cannot bind socket (Address already in use) for [0.0.0.0:7070]'),
      ),
    ).toBe(true);
    expect(r.lb?.configTest).toEqual({ exitCode: 0, output: 'Configuration file is valid' });
    expect(r.lb?.configListens).toEqual([
      '0.0.0.0:8080',
      '[::]:8443',
      '127.0.0.1:8404',
      '127.0.0.1:8405',
    ]);
    expect(r.lb?.managedPid).toBe(16);
    expect(r.ha?.holdsVip).toBe(false);
  });

  it('a forged marker that reuses the REAL nonce inside a log only adds lines, sections stay intact', async () => {
    const real = fixture('batch-haproxy-40000-root-forged-log.txt');
    // Worst case: a log line that is not a full marker line but carries the nonce mid-line.
    const forged = real.replace('after forged markers', 'x @@PB-fixture40000hap01 /log.file 0');
    const r = await collectProbes(fakeRunner(forged), host, 40000, runbook('haproxy'), null, {
      nonce: 'fixture40000hap01',
    });
    expect(r.lb?.logLines[r.lb.logLines.length - 1]).toBe('x @@PB-fixture40000hap01 /log.file 0');
    expect(r.lb?.configTest?.exitCode).toBe(0);
  });

  it('works through sudo as portbot-diag: owners seen, sudo noise dropped, pidfile via sudo', async () => {
    const r = await collectProbes(
      fakeRunner(fixture('batch-nginx-7070-sudo.txt')),
      { ...host, user: 'portbot-diag', sudo: true },
      7070,
      {
        ...runbook('nginx'),
        pidFile: '/run/nginx.pid',
        errorLog: '/var/log/nginx/error.log',
        configFile: '/etc/nginx/nginx.conf',
      },
      edge('10.99.0.100'),
      { nonce: 'fixture7070sudo01' },
    );
    expect(r.sockets[0]?.owners).toEqual([{ comm: 'web server', pid: 11, fd: 3 }]);
    expect(r.processes[11]).toMatchObject({
      comm: 'web server',
      exe: '/tmp/pbcap/web server',
      user: 'root',
    });
    expect(r.lb?.managedPid).toBe(5);
    expect(r.lb?.logLines).toEqual([
      '2026/11/21 23:50:05 [emerg] 82#82: bind() to 0.0.0.0:7070 failed (98: Address already in use)',
      '2026/11/21 23:50:05 [emerg] 82#82: bind() to 10.99.0.200:8099 failed (99: Cannot assign requested address)',
    ]);
    expect(r.lb?.configTest?.output).not.toContain('sudo:');
    expect(r.missing.map((m) => m.code)).toEqual(['no-systemd']);
  });

  it('rejects a bad port before any exec', async () => {
    const runner = fakeRunner('');
    await expect(collectProbes(runner, host, 70000, null, null)).rejects.toMatchObject({
      code: 'BAD_PORT',
    });
    expect(runner.commands).toHaveLength(0);
  });

  it('a busy nginx whose master holds every listener: listeners only, owned by the master', async () => {
    // 2,000 accepted connections on the host; the script listed none of them (fixture .cmd).
    const runner = fakeRunner(fixture('batch-nginx-80-busy-root.txt'));
    const r = await collectProbes(runner, host, 80, runbook('nginx'), null, {
      nonce: 'fixture80busy01',
    });
    expect(runner.scripts[0]).toContain(`ss -H -tulne '( sport = :80 )'`);
    expect(r.sockets.map((s) => [s.state, s.localAddress, s.owners])).toEqual([
      ['LISTEN', '0.0.0.0:80', [{ comm: 'nginx', pid: 23, fd: 6 }]],
      ['LISTEN', '[::]:80', [{ comm: 'nginx', pid: 23, fd: 7 }]],
    ]);
    expect(Object.keys(r.processes)).toEqual(['23']);
    expect(r.lb?.managedPid).toBe(23);
    expect(r.missing.map((m) => m.code)).not.toContain('ss-truncated');
  });

  it('listen-owners without exit 1 (a listener the master does not hold) is not trusted', async () => {
    const partial = fixture('batch-nginx-80-busy-root.txt').replace(
      '@@PB-fixture80busy01 /listen-owners 1',
      '@@PB-fixture80busy01 /listen-owners 2',
    );
    await expect(
      collectProbes(fakeRunner(partial), host, 80, runbook('nginx'), null, {
        nonce: 'fixture80busy01',
      }),
    ).rejects.toMatchObject({ code: 'PROBE_FAILED' });
  });

  it('fails with PROBE_FAILED when the output has no sections for this nonce', async () => {
    const runner = fakeRunner(fixture('batch-nginx-80-root.txt'));
    await expect(
      collectProbes(runner, host, 80, null, null, { nonce: 'othernonce000' }),
    ).rejects.toMatchObject({
      code: 'PROBE_FAILED',
    });
  });
});

describe('collectProbes when the output hit the byte cap', () => {
  it('reports probe-output-truncated so the diagnosis says sections are missing', async () => {
    // What the SSH layer keeps when the cap cuts the captured batch in its process sections.
    const full = fixture('batch-nginx-80-root.txt');
    const cut = full.slice(0, full.indexOf('@@PB-fixture80nginx01 cmdline.'));
    const opts = { nonce: 'fixture80nginx01' };
    const r = await collectProbes(fakeRunner(cut, { truncated: true }), host, 80, null, null, opts);
    expect(r.missing.find((m) => m.code === 'probe-output-truncated')?.detail).toMatch(
      /^probe output was cut at \d+ bytes/,
    );
    const whole = await collectProbes(fakeRunner(full), host, 80, null, null, opts);
    expect(whole.missing.map((m) => m.code)).not.toContain('probe-output-truncated');
  });
});
