import { execFile } from 'node:child_process';
import type { CommandRunner } from '../../src/domain/CommandRunner';
import type { HostConfig } from '../../src/domain/HostConfig';

/**
 * A CommandRunner that runs the command with /bin/sh on this machine (no SSH), the script on
 * stdin then EOF as sshd gives it: unit tests prove a catalogue batch is valid shell and that
 * the parsers read what it prints.
 */
export const localShellRunner: CommandRunner = {
  exec: (_host, command, opts) =>
    new Promise((resolve) => {
      const started = Date.now();
      const child = execFile(
        '/bin/sh',
        ['-c', command],
        { maxBuffer: 64 << 20 },
        (err, stdout, stderr) =>
          resolve({
            stdout,
            stderr,
            code: err && typeof err.code === 'number' ? err.code : 0,
            signal: null,
            truncated: false,
            durationMs: Date.now() - started,
          }),
      );
      child.stdin?.end(opts?.stdin ?? '');
    }),
};

/** The host the local runner stands for: this machine as root, no sudo. */
export const localHost: HostConfig = {
  name: 'local',
  address: '127.0.0.1',
  port: 22,
  user: 'root',
  sudo: false,
  connectTimeoutMs: 1000,
  commandTimeoutMs: 10000,
  labels: {},
};
