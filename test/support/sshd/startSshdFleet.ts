import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './startTestSshd';

/**
 * Many SSH hosts for fleet-check tests without the lab: one real OpenSSH sshd per host, each on
 * its own loopback address (127.<a>.<b>.1..n, same port), root login with one client key. All
 * hosts are this machine's root namespace, so every probe runs for real (ss, /proc), but no
 * network namespace is made (no lab lock) and the hosts start in seconds. Each sshd logs at
 * DEBUG1 to its own file, which records one "request exec" per command portbot runs there.
 */
export interface SshdFleetHost {
  name: string;
  address: string;
  pid: number;
  logPath: string;
}

export interface SshdFleet {
  dir: string;
  port: number;
  hosts: SshdFleetHost[];
  /** An inventory (docs/reference/inventory.md) of every host, nginx on each. */
  inventoryPath: string;
  /** Exec requests each host's sshd has logged so far, by host name. */
  execCounts(): Map<string, number>;
  stop(): Promise<void>;
}

const NAME = (i: number) => `fleet-${String(i + 1).padStart(3, '0')}`;

async function hasBanner(address: string, port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const s = connect({ host: address, port });
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
}

export async function startSshdFleet(opts: { count: number; net: string }): Promise<SshdFleet> {
  if (!/^127\.\d{1,3}\.\d{1,3}$/.test(opts.net))
    throw new Error(`net must be 127.a.b: ${opts.net}`);
  if (opts.count < 1 || opts.count > 254) throw new Error('count must be 1..254');
  mkdirSync('/run/sshd', { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'portbot-sshd-fleet-'));
  const file = (n: string): string => join(dir, n);
  for (const k of ['host_key', 'client'])
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', file(k)]);
  writeFileSync(file('authorized_keys'), readFileSync(file('client.pub')));
  mkdirSync(file('home'));
  const pub = readFileSync(file('host_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const port = await freePort();
  const children: ChildProcess[] = [];
  const hosts: SshdFleetHost[] = [];
  for (let i = 0; i < opts.count; i++) {
    const name = NAME(i);
    const address = `${opts.net}.${i + 1}`;
    const conf = file(`${name}.sshd_config`);
    writeFileSync(
      conf,
      [
        `ListenAddress ${address}:${port}`,
        `HostKey ${file('host_key')}`,
        `PidFile ${file(`${name}.pid`)}`,
        `AuthorizedKeysFile ${file('authorized_keys')}`,
        'StrictModes no',
        'UsePAM no',
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'LogLevel DEBUG1',
        'MaxStartups 200',
        'MaxSessions 50',
        'PrintMotd no',
        // root's ~/.bashrc (pyenv init) costs ~90 ms per exec here
        `SetEnv HOME=${file('home')}`,
        '',
      ].join('\n'),
    );
    const logPath = file(`${name}.log`);
    const child = spawn('/usr/sbin/sshd', ['-D', '-f', conf, '-E', logPath], {
      stdio: 'ignore',
      detached: true,
    });
    children.push(child);
    if (child.pid === undefined) throw new Error(`sshd for ${name} did not start`);
    hosts.push({ name, address, pid: child.pid, logPath });
  }
  const deadline = Date.now() + 60_000;
  await Promise.all(
    hosts.map(async (h) => {
      while (!(await hasBanner(h.address, port))) {
        if (Date.now() > deadline) throw new Error(`sshd of ${h.name} did not come up`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }),
  );
  writeFileSync(file('known_hosts'), hosts.map((h) => `[${h.address}]:${port} ${pub}\n`).join(''));
  const inventoryPath = file('inventory.yaml');
  writeFileSync(
    inventoryPath,
    [
      'defaults:',
      '  user: root',
      `  privateKeyPath: ${file('client')}`,
      `  knownHostsPath: ${file('known_hosts')}`,
      'hosts:',
      ...hosts.flatMap((h) => [
        `  - name: ${h.name}`,
        `    address: ${h.address}`,
        `    port: ${port}`,
        '    lb: { kind: nginx }',
      ]),
      '',
    ].join('\n'),
  );
  return {
    dir,
    port,
    hosts,
    inventoryPath,
    execCounts: () =>
      new Map(
        hosts.map((h) => [
          h.name,
          (readFileSync(h.logPath, 'utf8').match(/request exec\b/g) ?? []).length,
        ]),
      ),
    async stop() {
      await Promise.all(
        children.map(async (c) => {
          if (c.exitCode !== null || c.pid === undefined) return;
          const exited = new Promise<void>((r) => c.once('exit', () => r()));
          // the group: the listener and the per-connection sshd processes it forked
          try {
            process.kill(-c.pid, 'SIGCONT');
            process.kill(-c.pid, 'SIGTERM');
          } catch {
            c.kill('SIGTERM');
          }
          await exited;
        }),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
