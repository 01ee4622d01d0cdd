import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { spawnDetached } from './run';

/**
 * A real systemd (Debian's /lib/systemd/systemd) booted as PID 1 of a new PID namespace inside a
 * lab host, in a private mount namespace that sees only the lab's unit files, and in a cgroup
 * namespace rooted at a `portbot-lab-<host>` cgroup, so the cgroups it creates stay below that
 * one and go with it. The host's /run is shared: `systemctl` run in the host (by the probes)
 * talks to this systemd through /run/systemd/private, as it would on a host booted by systemd.
 */

export const SOCKET_UNIT = 'portbot-lab-web.socket';
export const SOCKET_SERVICE = 'portbot-lab-web.service';
/** sshd as a service of that systemd: what portbot connects to, to probe from systemd's side. */
export const SYSTEMD_SSH_PORT = 2222;
const TARGET = 'portbot-lab.target';
const CGROUP_ROOT = '/sys/fs/cgroup';
const CGROUP_PREFIX = 'portbot-lab-';
/**
 * The hierarchies systemd 252 writes to on this kernel (hybrid: the unified one for tracking,
 * name=systemd, and the pids and memory controllers). Others stay as they are: a new cpuset
 * cgroup, for one, has no CPUs and refuses processes.
 */
const HIERARCHIES = new Set(['unified', 'systemd', 'pids', 'memory']);

/** Serves HTTP on the socket systemd passes as fd 3 (sd_listen_fds), the socket-activation way. */
const ACTIVATED_WEB_PY = `import http.server, socket
srv = http.server.HTTPServer(('', 0), http.server.SimpleHTTPRequestHandler, bind_and_activate=False)
srv.socket = socket.socket(fileno=3)
srv.serve_forever()
`;

function units(port: number): Record<string, string> {
  // DefaultDependencies=no: only these units start, not sysinit.target and the host's services.
  return {
    [TARGET]: `[Unit]\nDescription=portbot lab: socket activation and sshd only\nDefaultDependencies=no\nWants=${SOCKET_UNIT} portbot-lab-sshd.service\n`,
    'portbot-lab-sshd.service': `[Unit]\nDescription=portbot lab sshd (the host's own config and keys)\nDefaultDependencies=no\n\n[Service]\nExecStart=/usr/sbin/sshd -D -f /run/lab/sshd_config -p ${SYSTEMD_SSH_PORT} -o PidFile=/run/sshd-systemd.pid -E /run/lab/sshd-systemd.log\n`,
    [SOCKET_UNIT]: `[Unit]\nDescription=portbot lab web socket\nDefaultDependencies=no\n\n[Socket]\nListenStream=${port}\n`,
    [SOCKET_SERVICE]: `[Unit]\nDescription=portbot lab web (socket-activated)\nDefaultDependencies=no\n\n[Service]\nExecStart=/usr/bin/python3 /run/lab/activated-web.py\n`,
  };
}

const INIT_SH = `#!/bin/sh
# PID 1 of a new PID namespace: the lab's units only, then systemd itself.
set -e
mount --bind /run/lab/systemd-units /etc/systemd/system
mount -t tmpfs tmpfs /usr/lib/systemd/system
exec env container=portbot-lab /lib/systemd/systemd --system --unit=${TARGET} --log-target=console
`;

/** This process's cgroup per mounted hierarchy: the mount directory and the path inside it. */
function ownCgroups(): { dir: string; path: string }[] {
  const out: { dir: string; path: string }[] = [];
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    const name = m[1] === '' ? 'unified' : (m[1] ?? '').replace(/^name=/, '');
    const dir = join(CGROUP_ROOT, name);
    if (HIERARCHIES.has(name) && existsSync(join(dir, 'cgroup.procs')))
      out.push({ dir, path: m[2] ?? '/' });
  }
  return out;
}

/** Writes the units and boots systemd in the host whose sshd (PID 1) is `sshdPid`. */
export function startSystemd(hostDir: string, host: string, sshdPid: number, port: number): void {
  const unitDir = join(hostDir, 'systemd-units');
  rmSync(unitDir, { recursive: true, force: true });
  mkdirSync(unitDir);
  for (const [name, text] of Object.entries(units(port))) writeFileSync(join(unitDir, name), text);
  writeFileSync(join(hostDir, 'activated-web.py'), ACTIVATED_WEB_PY);
  writeFileSync(join(hostDir, 'systemd-init.sh'), INIT_SH, { mode: 0o755 });
  const cgroups = ownCgroups().map((c) => join(c.dir, c.path, `${CGROUP_PREFIX}${host}`));
  for (const c of cgroups) mkdirSync(c, { recursive: true });
  // The shell joins the cgroups before it enters the host: what it starts inherits them.
  const join_ = cgroups.map((c) => `echo $$ > '${c}/cgroup.procs'`).join(' && ');
  spawnDetached(
    [
      '/bin/sh',
      '-c',
      `${join_} && exec nsenter -t ${sshdPid} -a /usr/bin/setsid -f unshare --cgroup --pid --fork --mount-proc --mount /bin/sh /run/lab/systemd-init.sh`,
    ],
    join(hostDir, 'var/log/systemd.log'),
  );
}

/** After the host's processes are gone: the cgroups and /run/systemd its systemd left. */
export function removeSystemdLeftovers(hostDir: string | null): void {
  if (hostDir !== null) {
    rmSync(join(hostDir, 'run/systemd'), { recursive: true, force: true });
    rmSync(join(hostDir, 'systemd-units'), { recursive: true, force: true });
  }
  for (const c of ownCgroups()) {
    const parent = join(c.dir, c.path);
    for (const d of existsSync(parent) ? readdirSync(parent) : []) {
      if (d.startsWith(CGROUP_PREFIX)) removeCgroupTree(join(parent, d));
    }
  }
}

/** cgroup directories go bottom-up with rmdir (their files cannot be unlinked). */
function removeCgroupTree(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) removeCgroupTree(join(dir, e.name));
  }
  try {
    rmdirSync(dir);
  } catch {
    // still has a process: the next reset or lab stop tries again
  }
}
