import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { CommandRunner } from '../../../src/domain/CommandRunner';
import type { HostConfig } from '../../../src/domain/HostConfig';
import { collectProbes } from '../../../src/probes/collectProbes';

// The generated script, run for real by /bin/sh on this machine (no SSH): proves the catalogue's
// shell is valid and that the parsers agree with what it prints.
const shRunner: CommandRunner = {
  exec: (_host, command, opts) =>
    new Promise((resolve) => {
      const started = Date.now();
      const child = execFile(
        '/bin/sh',
        ['-c', command],
        { maxBuffer: 4 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err && typeof err.code === 'number' ? err.code : 0;
          resolve({
            stdout,
            stderr,
            code,
            signal: null,
            truncated: false,
            durationMs: Date.now() - started,
          });
        },
      );
      // as sshd does: the script arrives on stdin, then EOF
      child.stdin?.end(opts?.stdin ?? '');
    }),
};

const host: HostConfig = {
  name: 'local',
  address: '127.0.0.1',
  port: 22,
  user: 'root',
  sudo: false,
  connectTimeoutMs: 1000,
  commandTimeoutMs: 10000,
  labels: {},
};

describe('collectProbes against the real local /bin/sh', () => {
  it('finds this test process as the owner of a fresh listener and walks its ancestors', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const r = await collectProbes(shRunner, host, port, null, null);
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
});
