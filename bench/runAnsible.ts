import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostConfig } from '../src/domain/HostConfig';
import { listPids, readProcTimes } from './procCpu';
import { stderrTail, TUNED_OPENSSH_OPTIONS } from './runParallelSsh';
import { spawnCollect } from './spawnCollect';

export const ANSIBLE_BIN = '/usr/bin/ansible';

export interface AnsibleSetup {
  /** ANSIBLE_CONFIG: the ansible.cfg written into the scratch folder. */
  configPath: string;
  /** Where the ControlPersist masters keep their sockets; their processes name it. */
  controlDir: string;
  forks: number;
  timeoutSec: number;
}

export interface AnsibleOptions {
  privateKeyPath: string;
  knownHostsPath: string;
  user: string;
  forks: number;
  timeoutSec: number;
}

/**
 * Ansible's warm ad-hoc setup (issue 12 item 2): an ansible.cfg and an INI inventory of its own
 * (so no ~/.ansible.cfg, /etc/ansible or ~/.ssh/config takes part), ControlPersist masters whose
 * sockets live in the scratch folder, pipelining on, host keys checked against the lab's
 * known_hosts as portbot and parallel-ssh check them, no pty. The tuned OpenSSH options are
 * given too: Ansible gets every setting that could help it.
 */
export function writeAnsibleFiles(
  dir: string,
  hosts: readonly HostConfig[],
  o: AnsibleOptions,
): AnsibleSetup {
  const controlDir = join(dir, 'cp');
  mkdirSync(controlDir, { recursive: true });
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const inventory = join(dir, 'hosts.ini');
  writeFileSync(
    inventory,
    `[bench]\n${hosts.map((h) => `${h.name} ansible_host=${h.address} ansible_port=${h.port}\n`).join('')}`,
  );
  const sshArgs = [
    '-F /dev/null',
    '-o ControlMaster=auto',
    '-o ControlPersist=60s',
    `-o UserKnownHostsFile=${o.knownHostsPath}`,
    '-o StrictHostKeyChecking=yes',
    '-o BatchMode=yes',
    '-o LogLevel=ERROR',
    ...TUNED_OPENSSH_OPTIONS,
  ].join(' ');
  const configPath = join(dir, 'ansible.cfg');
  writeFileSync(
    configPath,
    [
      '[defaults]',
      `inventory = ${inventory}`,
      `remote_user = ${o.user}`,
      `private_key_file = ${o.privateKeyPath}`,
      `forks = ${o.forks}`,
      'host_key_checking = True',
      `timeout = ${o.timeoutSec}`,
      `local_tmp = ${join(dir, 'tmp')}`,
      'retry_files_enabled = False',
      '',
      '[ssh_connection]',
      `ssh_args = ${sshArgs}`,
      `control_path_dir = ${controlDir}`,
      // %C: a hash of host, port and user, short enough for a unix socket path.
      'control_path = %(directory)s/%%C',
      'pipelining = True',
      // Ansible forces a pty (-tt) for raw commands by default; portbot and parallel-ssh run the
      // script without one, and a pty only costs the host more (and turns \n into \r\n).
      'usetty = False',
      '',
    ].join('\n'),
  );
  return { configPath, controlDir, forks: o.forks, timeoutSec: o.timeoutSec };
}

/**
 * A `-m raw` command that runs `script` as portbot runs it (`/bin/sh -s`, the script on stdin),
 * byte for byte: raw has no stdin, so the script travels base64-encoded in the command line
 * (base64 keeps Ansible's argument splitting and Jinja templating away from the script's text).
 */
export function rawProbeCommand(script: string): string {
  return `printf %s ${Buffer.from(script).toString('base64')} | base64 -d | /bin/sh -s`;
}

export interface AnsibleRun {
  wallMs: number;
  exitCode: number | null;
  /** Hosts whose one-line result reads CHANGED or SUCCESS with rc=0. */
  succeeded: number;
  outputBytes: number;
  problem?: string;
}

// The one-line callback (-o): "bench-01 | CHANGED | rc=0 | (stdout) ..." per host.
const ONE_LINE = /^(\S+) \| (CHANGED|SUCCESS) \| rc=0 \|/;

/** Which of `names` ran the command to exit 0, and the first line that says otherwise. */
export function parseOneLineResults(
  stdout: string,
  names: readonly string[],
): { succeeded: Set<string>; firstFailure?: string } {
  const wanted = new Set(names);
  const succeeded = new Set<string>();
  let firstFailure: string | undefined;
  for (const line of stdout.split('\n')) {
    const host = ONE_LINE.exec(line)?.[1];
    if (host !== undefined && wanted.has(host)) succeeded.add(host);
    else if (line.trim() !== '') firstFailure ??= line.slice(0, 300);
  }
  return firstFailure === undefined ? { succeeded } : { succeeded, firstFailure };
}

export function runAnsible(
  s: AnsibleSetup,
  hosts: readonly HostConfig[],
  command: string,
): Promise<AnsibleRun> {
  const args = ['all', '-m', 'raw', '-a', command, '-f', String(s.forks), '-o'];
  // A process group of its own: ansible's forks inherit its pipes, so killing ansible alone would
  // leave them holding stdout open and 'close' would never come. Generous time: the first run
  // opens 50 masters, which took over 60 s on 2 loaded cores.
  return spawnCollect(ANSIBLE_BIN, args, s.timeoutSec * 6_000, {
    group: true,
    env: { ...process.env, ANSIBLE_CONFIG: s.configPath, ANSIBLE_NOCOLOR: '1' },
  }).then(({ code, stdout, stderr, wallMs }) => {
    const { succeeded, firstFailure } = parseOneLineResults(
      stdout,
      hosts.map((h) => h.name),
    );
    const problem = [firstFailure, stderrTail(stderr)].filter((t) => t).join(' ; ');
    return {
      wallMs,
      exitCode: code,
      succeeded: succeeded.size,
      outputBytes: Buffer.byteLength(stdout),
      ...(problem ? { problem } : {}),
    };
  });
}

/**
 * The ControlPersist masters of this setup. OpenSSH detaches them (daemon()), so their CPU never
 * reaches our children's total: it is read from them directly. They title themselves
 * "ssh: CONTROLPATH [mux]".
 */
export function controlMasters(s: AnsibleSetup): number[] {
  return listPids().filter((pid) => {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.includes(s.controlDir) && cmd.includes('[mux]');
    } catch {
      return false;
    }
  });
}

/** CPU ticks (own + reaped children) of the given processes; a gone process counts 0. */
export function ticksOf(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => {
    const t = readProcTimes(pid);
    return sum + (t ? t.self + t.children : 0);
  }, 0);
}

export function ansibleInstalled(): boolean {
  return existsSync(ANSIBLE_BIN);
}
