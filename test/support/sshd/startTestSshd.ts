import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostConfig } from '../../../src/domain/HostConfig';

/**
 * A throw-away OpenSSH sshd on 127.0.0.1:<free port>, as root, with its own host keys, client
 * keys and authorized_keys in a temp dir. `cleanHome` points HOME at an empty dir via SetEnv so
 * bash does not source root's ~/.bashrc (pyenv init, ~90 ms per exec, measured).
 */
export interface TestSshdOptions {
  cleanHome?: boolean;
  extraConfig?: string[];
}

export interface TestSshd {
  dir: string;
  port: number;
  logPath: string;
  /** Client keys: `clientKey` and `encryptedKey` (passphrase `passphrase`) are authorized. */
  clientKey: string;
  encryptedKey: string;
  passphrase: string;
  unauthorizedKey: string;
  /** `[127.0.0.1]:port <type> <blob>` for the current host key, and its SHA256 fingerprint. */
  knownHostsLine(): string;
  fingerprint(): string;
  /** Writes a known_hosts file holding `lines` and returns its path. */
  writeKnownHosts(name: string, lines: string[]): string;
  host(overrides?: Partial<HostConfig>): HostConfig;
  acceptedLogins(): number;
  /** Restarts on the same port, optionally with the second host key. */
  restart(opts?: { rotateHostKey?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function keygen(path: string, passphrase = ''): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', '', '-f', path]);
}

/** Polls until sshd sends its SSH banner (it listens before it is useful otherwise). */
async function waitForBanner(port: number, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      s.setTimeout(1000, () => {
        s.destroy();
        resolve(false);
      });
      s.once('data', (d: Buffer) => {
        s.destroy();
        resolve(d.toString('latin1').startsWith('SSH-2.0-'));
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`test sshd on port ${port} did not come up`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startTestSshd(opts: TestSshdOptions = {}): Promise<TestSshd> {
  mkdirSync('/run/sshd', { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'portbot-sshd-'));
  const file = (n: string): string => join(dir, n);
  for (const k of ['host_a', 'host_b', 'client', 'wrong']) keygen(file(k));
  const passphrase = 'correct horse battery staple';
  keygen(file('encrypted'), passphrase);
  writeFileSync(
    file('authorized_keys'),
    readFileSync(file('client.pub'), 'utf8') + readFileSync(file('encrypted.pub'), 'utf8'),
  );
  mkdirSync(file('home'));
  const port = await freePort();
  const logPath = file('sshd.log');
  let hostKey = file('host_a');
  let child: ChildProcess | null = null;

  const writeConfig = (): string => {
    const conf = [
      `HostKey ${hostKey}`,
      `PidFile ${file('sshd.pid')}`,
      `AuthorizedKeysFile ${file('authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'LogLevel VERBOSE',
      'MaxStartups 200',
      'MaxSessions 50',
      'PrintMotd no',
      ...(opts.cleanHome ? [`SetEnv HOME=${file('home')}`] : []),
      ...(opts.extraConfig ?? []),
    ];
    writeFileSync(file('sshd_config'), conf.join('\n') + '\n');
    return file('sshd_config');
  };

  const start = async (): Promise<void> => {
    const conf = writeConfig();
    const args = [
      '-D',
      '-f',
      conf,
      '-p',
      String(port),
      '-o',
      'ListenAddress=127.0.0.1',
      '-E',
      logPath,
    ];
    child = spawn('/usr/sbin/sshd', args, { stdio: 'ignore', detached: true });
    await waitForBanner(port, 10_000);
  };

  const stopChild = async (): Promise<void> => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.pid === undefined) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    // the group: the listener and the per-connection sshd processes it forked
    try {
      process.kill(-c.pid, 'SIGTERM');
    } catch {
      c.kill('SIGTERM');
    }
    await exited;
  };

  await start();
  const pubLine = (): string =>
    readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');

  return {
    dir,
    port,
    logPath,
    clientKey: file('client'),
    encryptedKey: file('encrypted'),
    passphrase,
    unauthorizedKey: file('wrong'),
    knownHostsLine: () => `[127.0.0.1]:${port} ${pubLine()}`,
    fingerprint: () =>
      execFileSync('ssh-keygen', ['-lf', `${hostKey}.pub`], { encoding: 'utf8' }).split(' ')[1] ??
      '',
    writeKnownHosts(name, lines) {
      const p = file(name);
      writeFileSync(p, lines.join('\n') + '\n');
      return p;
    },
    host: (overrides = {}) => ({
      name: 'test-sshd',
      address: '127.0.0.1',
      port,
      user: 'root',
      sudo: false,
      privateKeyPath: file('client'),
      knownHostsPath: existsSync(file('known_hosts'))
        ? file('known_hosts')
        : (writeFileSync(file('known_hosts'), `[127.0.0.1]:${port} ${pubLine()}\n`),
          file('known_hosts')),
      connectTimeoutMs: 5000,
      commandTimeoutMs: 10000,
      labels: {},
      ...overrides,
    }),
    acceptedLogins: () =>
      existsSync(logPath)
        ? readFileSync(logPath, 'utf8')
            .split('\n')
            .filter((l) => l.includes('Accepted publickey')).length
        : 0,
    async restart(o = {}) {
      await stopChild();
      if (o.rotateHostKey) hostKey = file('host_b');
      await start();
    },
    async stop() {
      await stopChild();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
