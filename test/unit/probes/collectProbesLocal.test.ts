import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { CommandRunner } from '../../../src/domain/CommandRunner';
import type { Runbook } from '../../../src/domain/Runbook';
import { collectProbes } from '../../../src/probes/collectProbes';
import { localHost, localShellRunner } from '../../support/localShellRunner';

// The generated script, run for real by /bin/sh on this machine (no SSH): proves the catalogue's
// shell is valid and that the parsers agree with what it prints.
const host = localHost;

describe('collectProbes against the real local /bin/sh', () => {
  it('finds this test process as the owner of a fresh listener and walks its ancestors', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const r = await collectProbes(localShellRunner, host, port, null, null);
      const listener = r.sockets.find((s) => s.state === 'LISTEN');
      expect(listener).toMatchObject({ localAddress: `127.0.0.1:${port}`, localPort: port });
      expect(listener?.owners.map((o) => o.pid)).toContain(process.pid);
      const me = r.processes[process.pid];
      expect(me).toMatchObject({ pid: process.pid, ppid: process.ppid, exeDeleted: false });
      expect(me?.exe).toMatch(/node/);
      expect(r.processes[process.ppid]).toBeDefined();
      expect(r.sysctls.ipLocalPortRange).not.toBeNull();
      expect(r.clockTicks).toBeGreaterThan(0);
      expect(r.evidence.map((e) => e.probe)).toEqual(
        expect.arrayContaining(['meta', 'sysctl', 'ss', 'users']),
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('lists listeners only when the managed pid (this process, by its pid file) holds them all', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'portbot-probe-'));
    writeFileSync(join(dir, 'lb.pid'), `${process.pid}\n`);
    const lb: Runbook = {
      kind: 'nginx',
      binary: '/bin/true',
      programs: ['node'],
      pidFile: join(dir, 'lb.pid'),
      unit: 'nginx.service',
      configFile: join(dir, 'absent.conf'),
      errorLog: join(dir, 'absent.log'),
      logPatterns: { addressInUse: 'x', permissionDenied: 'x', addressNotAvailable: 'x' },
      configListen: 'nginx-listen',
      commands: {
        start: 'true',
        stop: 'true',
        restart: 'true',
        reload: 'true',
        configTest: 'true',
      },
    };
    try {
      const runner = keeping(localShellRunner);
      const r = await collectProbes(runner, host, port, lb, null);
      // Root reads any fd table; another user reads only its own processes' (this one's).
      expect(runner.outputs[0]).toMatch(/ listen-owners\n/);
      expect(runner.outputs[0]).not.toMatch(/ ss\n/);
      const listener = r.sockets.find((s) => s.state === 'LISTEN');
      expect(listener?.localAddress).toBe(`127.0.0.1:${port}`);
      expect(listener?.owners.map((o) => [o.comm, o.pid])).toEqual([
        [r.processes[process.pid]?.comm, process.pid],
      ]);
      expect(listener?.owners[0]?.fd).toBeGreaterThanOrEqual(0);
      expect(r.lb?.managedPid).toBe(process.pid);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the managed pid file, read by the real local /bin/sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portbot-pidfile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const lbWithPidFile = (pidFile: string): Runbook => ({
    kind: 'nginx',
    binary: '/bin/true',
    programs: ['nginx'],
    pidFile,
    unit: 'nginx.service',
    configFile: join(dir, 'absent.conf'),
    errorLog: join(dir, 'absent.log'),
    logPatterns: { addressInUse: 'x', permissionDenied: 'x', addressNotAvailable: 'x' },
    configListen: 'nginx-listen',
    commands: { start: 'true', stop: 'true', restart: 'true', reload: 'true', configTest: 'true' },
  });
  const probe = async (name: string, content: string | null) => {
    const pidFile = join(dir, name);
    if (content !== null) writeFileSync(pidFile, content);
    const runner = keeping(localShellRunner);
    const r = await collectProbes(runner, host, 1, lbWithPidFile(pidFile), null);
    return { r, out: runner.outputs[0] ?? '' };
  };
  const unknown = (r: Awaited<ReturnType<typeof probe>>['r']) =>
    r.missing.some((m) => m.code === 'managed-pid-unknown');

  it('an empty pid file (what `nginx -t` leaves when there was none) is no pid, not unknown', async () => {
    const { r, out } = await probe('empty.pid', '');
    expect(out).toMatch(/^pidfile-empty$/m);
    expect(r.lb?.managedPid).toBeNull();
    expect(unknown(r)).toBe(false);
  });

  it('a pid without a final newline is still the pid', async () => {
    const { r, out } = await probe('bare.pid', String(process.pid));
    expect(out).toContain(`pidfile=${process.pid}`);
    expect(r.lb?.managedPid).toBe(process.pid);
  });

  it('an absent pid file is missing, not unknown', async () => {
    const { r, out } = await probe('absent.pid', null);
    expect(out).toMatch(/^pidfile-missing$/m);
    expect(unknown(r)).toBe(false);
  });
});

/** Keeps each stdout, to see which sections the script ran. */
function keeping(inner: CommandRunner): CommandRunner & { outputs: string[] } {
  const outputs: string[] = [];
  return {
    outputs,
    exec: async (h, command, opts) => {
      const r = await inner.exec(h, command, opts);
      outputs.push(r.stdout);
      return r;
    },
  };
}
