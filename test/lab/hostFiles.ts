import {
  chmodSync,
  chownSync,
  cpSync,
  mkdirSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { KeepalivedParams } from './lbConfigs';
import {
  KEEPALIVED_NOTIFY,
  NGINX_START,
  haproxyCfg,
  keepalivedConf,
  nginxConf,
  nginxSite,
} from './lbConfigs';
import type { LabHostSpec } from './labTypes';
import { LAB_PREFIX } from './labTypes';

/**
 * One host's private tree under <dir>/hosts/<name>. boot.sh bind-mounts its parts over the
 * stock paths inside the host's mount namespace, and the tree itself at /run/lab (the lab dir
 * may live under /tmp, which the host covers with its own tmp).
 */
export function hostDir(labDir: string, name: string): string {
  return join(labDir, 'hosts', name);
}

const WWW_DATA = 33;

export interface HostFileParams {
  labDir: string;
  spec: LabHostSpec;
  allHosts: readonly LabHostSpec[];
  /** sudoers.d file content when the host's SSH user is not root. */
  sudoers: string | null;
  keepalived: KeepalivedParams | null;
  authorizedKeys: string;
}

export function writeHostFiles(p: HostFileParams): void {
  const h = hostDir(p.labDir, p.spec.name);
  rmSync(h, { recursive: true, force: true });
  for (const d of [
    'etc/haproxy',
    'etc/keepalived',
    'etc/sysctl.d',
    'run/sshd',
    'run/lab',
    'run/haproxy',
    'run/lock',
    'var/log/nginx',
    'tmp',
    'var/tmp',
  ]) {
    mkdirSync(join(h, d), { recursive: true });
  }
  chmodSync(join(h, 'tmp'), 0o1777);
  chmodSync(join(h, 'var/tmp'), 0o1777);
  chmodSync(join(h, 'run/lock'), 0o1777);
  cpSync('/etc/nginx', join(h, 'etc/nginx'), { recursive: true, verbatimSymlinks: true });
  rmSync(join(h, 'etc/nginx/sites-enabled/default'), { force: true });
  cpSync('/etc/haproxy/errors', join(h, 'etc/haproxy/errors'), { recursive: true });
  writeBaselineConfigs(h, p.keepalived);
  writeFileSync(join(h, 'etc/keepalived/notify.sh'), KEEPALIVED_NOTIFY, { mode: 0o755 });
  resetLogs(h);
  writeFileSync(join(h, 'empty'), '');
  writeFileSync(join(h, 'authorized_keys'), p.authorizedKeys, { mode: 0o644 });
  writeFileSync(join(h, 'hosts'), etcHosts(p.allHosts));
  writeFileSync(join(h, 'sshd_config'), sshdConfig());
  if (p.sudoers !== null) {
    mkdirSync(join(h, 'etc/sudoers.d'), { mode: 0o755 });
    // sudo ignores (and complains about) files that are not root-owned 0440.
    writeFileSync(join(h, 'etc/sudoers.d/portbot-diagnostics'), p.sudoers, { mode: 0o440 });
  }
  writeFileSync(join(h, 'boot.sh'), bootScript(h, p.spec, p.sudoers !== null), { mode: 0o755 });
}

/** Configs as reset() leaves them: LB on :80, keepalived with the group's own priority. */
export function writeBaselineConfigs(h: string, ka: KeepalivedParams | null): void {
  writeFileSync(join(h, 'etc/nginx/nginx.conf'), nginxConf());
  writeFileSync(join(h, 'etc/nginx/sites-enabled/default'), nginxSite());
  rmSync(join(h, 'etc/nginx/nginx-orphan.conf'), { force: true });
  // emptied, not removed: the directory is bind-mounted into the running host
  for (const f of readdirSync(join(h, 'etc/sysctl.d'))) rmSync(join(h, 'etc/sysctl.d', f));
  writeFileSync(join(h, 'etc/haproxy/haproxy.cfg'), haproxyCfg());
  writeFileSync(
    join(h, 'etc/keepalived/keepalived.conf'),
    ka === null ? '# not in an haGroup\n' : keepalivedConf(ka),
  );
}

/** Empty logs, with the ownership Debian's packages give them (non-root LB scenarios write them). */
export function resetLogs(h: string): void {
  for (const f of ['var/log/nginx/error.log', 'var/log/nginx/access.log']) {
    writeFileSync(join(h, f), '');
    chownSync(join(h, f), WWW_DATA, 4);
  }
  for (const f of ['var/log/haproxy.log', 'var/log/keepalived.log', 'var/log/lab-processes.log']) {
    writeFileSync(join(h, f), '');
  }
}

function etcHosts(hosts: readonly LabHostSpec[]): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
  for (const h of hosts) lines.push(`${h.address}\t${h.name}`);
  return `${lines.join('\n')}\n`;
}

function sshdConfig(): string {
  return `# portbot lab sshd (one per host, PID 1 of the host's PID namespace)
Port 22
ListenAddress 0.0.0.0
HostKey /run/lab/ssh_host_ed25519_key
PidFile /run/sshd.pid
AuthorizedKeysFile /run/lab/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
UseDNS no
PrintMotd no
PrintLastLog no
MaxStartups 400:30:800
MaxSessions 200
LogLevel INFO
Subsystem sftp internal-sftp
`;
}

function bootScript(h: string, spec: LabHostSpec, sudoers: boolean): string {
  // Only lab-generated paths and validated names reach this script (see assertSafePath).
  return `#!/bin/sh
# portbot lab host ${spec.name}: runs inside its own net, PID, mount and UTS namespaces.
set -e
H='${h}'
hostname '${spec.name}'
ip link set lo up
ip addr replace ${spec.address}/${LAB_PREFIX} dev eth0
ip link set eth0 up
mount --bind "$H/etc/nginx" /etc/nginx
mount --bind "$H/etc/haproxy" /etc/haproxy
mount --bind "$H/etc/keepalived" /etc/keepalived
# remediation writes sysctl drop-ins (reserve-port): they must stay in the host
mount --bind "$H/etc/sysctl.d" /etc/sysctl.d
mount --bind "$H/hosts" /etc/hosts
${sudoers ? 'mount --bind "$H/etc/sudoers.d" /etc/sudoers.d' : '# root login: stock /etc/sudoers.d'}
# an empty .bashrc: root's pyenv init costs ~90 ms per SSH exec
mount --bind "$H/empty" /root/.bashrc
mount --bind "$H/var/log" /var/log
mount --bind "$H/var/tmp" /var/tmp
mount --bind "$H/run" /run
mount --bind "$H" /run/lab
mount --bind "$H/tmp" /tmp
${spec.lbAtBoot === true && spec.lb === 'nginx' ? NGINX_START.join(' ') : '# LB started by the harness'}
exec /usr/sbin/sshd -D -f /run/lab/sshd_config -E /run/lab/sshd.log
`;
}

export function assertSafePath(p: string): void {
  if (!/^\/[\w./-]+$/.test(p) || p.includes('..'))
    throw new Error(`lab dir must be a plain absolute path: ${p}`);
}
