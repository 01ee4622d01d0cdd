import {
  appendFileSync,
  copyFileSync,
  existsSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { readPublicKey } from './knownHosts';
import { nginxSite } from './lbConfigs';
import { LbScenarios } from './LbScenarios';
import { REUSEPORT_PY } from './pyScripts';
import { SYSTEMD_SSH_PORT, startSystemd } from './systemdHost';
import { waitFor } from './waitFor';
import { HAPROXY_COMMANDS } from './writeInventory';

/** pids named in `ss` users:(…) of the lines that mention `program`. */
function pidsOf(lines: readonly string[], program: string): number[] {
  return lines.flatMap((l) =>
    [...l.matchAll(new RegExp(`\\("${program}",pid=(\\d+),`, 'g'))].map((m) => Number(m[1])),
  );
}

/**
 * Scenarios where the port is shared or handed over rather than simply taken: socket activation,
 * an nginx binary upgrade, HAProxy reload generations, an SO_REUSEPORT co-bind. Each starts from
 * reset(name) and returns once `ss` shows the promised state.
 */
export abstract class SharedPortScenarios extends LbScenarios {
  /**
   * A real systemd (PID 1 of its own PID namespace) owns the port through a .socket unit; one
   * request has activated its service, which now shares the socket; the LB's start then failed
   * with 98. Returns systemd's pid as the host sees it.
   */
  async socketActivation(name: string, port = 80): Promise<number> {
    await this.lab.reset(name);
    this.setLbPort(name, port);
    startSystemd(this.lab.hostDir(name), name, await this.lab.sshdPid(name), port);
    const pid = await this.waitListener(name, port, 'systemd');
    await this.lab.execOk(name, ['curl', '-sS', '-o', '/dev/null', `http://127.0.0.1:${port}/`]);
    await waitFor(`${name}: the activated service shares :${port}`, async () =>
      (await this.lab.listeners(name, port)).some((l) => l.includes('("python3",pid=')),
    );
    await waitFor(`${name}: sshd of systemd on :${SYSTEMD_SSH_PORT}`, async () =>
      (await this.lab.listeners(name, SYSTEMD_SSH_PORT)).some((l) => l.includes('("sshd",')),
    );
    await this.startLbFails(name, 'inUse');
    return pid;
  }

  /**
   * An inventory (and known_hosts) beside the lab's in which `name` is reached through the sshd
   * that its systemd runs (socketActivation): the probes then run in systemd's own PID namespace,
   * where systemd is pid 1 and systemctl reaches it, as on a host that systemd booted.
   */
  systemdInventory(name: string): string {
    const knownHosts = join(this.lab.dir, 'keys', 'known_hosts-systemd');
    copyFileSync(this.lab.knownHostsPath, knownHosts);
    const key = readPublicKey(join(this.lab.hostDir(name), 'ssh_host_ed25519_key.pub'));
    appendFileSync(knownHosts, `[${this.lab.host(name).address}]:${SYSTEMD_SSH_PORT} ${key}\n`);
    const doc = parse(readFileSync(this.lab.inventoryPath, 'utf8')) as {
      defaults: Record<string, unknown>;
      hosts: { name: string; port: number }[];
    };
    doc.defaults.knownHostsPath = knownHosts;
    for (const h of doc.hosts) if (h.name === name) h.port = SYSTEMD_SSH_PORT;
    const path = join(this.lab.dir, 'inventory-systemd.yaml');
    writeFileSync(path, stringify(doc, { lineWidth: 0 }));
    return path;
  }

  /**
   * nginx's binary upgrade half done: USR2 to the managed master, which starts a new master as
   * its child (same binary, as Debian's `upgrade` does); nginx.pid now names the new master and
   * nginx.pid.oldbin the old one, both listening. Returns both pids.
   */
  async nginxBinaryUpgrade(name: string): Promise<{ old: number; next: number }> {
    await this.lab.reset(name);
    await this.startLbOk(name, 80);
    const run = join(this.lab.hostDir(name), 'run');
    const old = Number(readFileSync(join(run, 'nginx.pid'), 'utf8').trim());
    await this.lab.execOk(name, ['kill', '-USR2', String(old)]);
    const next = await waitFor(`${name}: new nginx master after USR2`, async () => {
      if (!existsSync(join(run, 'nginx.pid.oldbin')) || !existsSync(join(run, 'nginx.pid')))
        return undefined;
      const pid = Number(readFileSync(join(run, 'nginx.pid'), 'utf8').trim());
      const listening = pidsOf(await this.lab.listeners(name, 80), 'nginx');
      return pid !== old && listening.includes(pid) ? pid : undefined;
    });
    return { old, next };
  }

  /**
   * HAProxy reloaded `times` times (the inventory's reload: `-sf $(cat /run/haproxy.pid)`) while
   * its pid file was missing each time, so no reload told the old process to stop: every
   * generation still listens (HAProxy binds with SO_REUSEPORT). Returns their pids, oldest first.
   */
  async haproxyReloadGenerations(name: string, times = 2): Promise<number[]> {
    await this.lab.reset(name);
    await this.startLbOk(name, 80);
    const pidFile = join(this.lab.hostDir(name), 'run', 'haproxy.pid');
    for (let i = 1; i <= times; i++) {
      rmSync(pidFile, { force: true });
      await this.lab.execOk(name, ['/bin/sh', '-c', HAPROXY_COMMANDS.reload]);
      await waitFor(`${name}: ${i + 1} haproxy generations on :80`, async () => {
        const pids = new Set(pidsOf(await this.lab.listeners(name, 80), 'haproxy'));
        return pids.size === i + 1 && existsSync(pidFile);
      });
    }
    return [...new Set(pidsOf(await this.lab.listeners(name, 80), 'haproxy'))].sort(
      (a, b) => a - b,
    );
  }

  /**
   * nginx listens with `reuseport`, and a python3 program (root, like nginx's master) binds the
   * same 0.0.0.0:80 with SO_REUSEPORT: two sockets in one group. Returns python3's pid.
   */
  async reuseportSplit(name: string): Promise<number> {
    await this.lab.reset(name);
    writeFileSync(
      join(this.lab.hostDir(name), 'etc/nginx/sites-enabled/default'),
      nginxSite(['80 reuseport default_server']),
    );
    await this.startLbOk(name, 80);
    await this.lab.startDetached(name, ['/usr/bin/python3', '-c', REUSEPORT_PY, '80']);
    return this.waitListener(name, 80, 'python3');
  }
}
