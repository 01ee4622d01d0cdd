import { chmodSync, copyFileSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { haproxyCfg, nginxConf, nginxSite } from './lbConfigs';
import { LAB_BRIDGE_ADDRESS, PEER_PORT } from './labTypes';
import { ensurePeer } from './peer';
import { CLIENT_PY, TIME_WAIT_PY } from './pyScripts';
import { ScenarioBase } from './ScenarioBase';
import { OPT_DIR } from './stopLab';
import { waitFor } from './waitFor';

/**
 * LB scenarios. Each starts from reset(name) and returns only once `ss` (and the LB log, where
 * the scenario is about a failed start) shows the promised state.
 */
export abstract class LbScenarios extends ScenarioBase {
  /** LB started the managed way, listening on :80, its pid file naming the listener. */
  async healthy(name: string): Promise<void> {
    await this.lab.reset(name);
    await this.startLbOk(name, 80);
  }

  /** Nothing on :80 and the LB not running. */
  async lbDownPortFree(name: string): Promise<void> {
    await this.lab.reset(name);
    if ((await this.lab.listeners(name, 80)).length > 0 || (await this.lab.lbRunning(name))) {
      throw new Error(`${name}: port 80 not free after reset`);
    }
  }

  /**
   * python3 http.server (root) holds the port; the LB's start failed with 98 in its log. Returns
   * the python pid. `extraArgs` go on its command line (what the diagnosis shows of the holder).
   */
  async rogueListener(name: string, port = 80, extraArgs: readonly string[] = []): Promise<number> {
    await this.lab.reset(name);
    this.setLbPort(name, port);
    await this.lab.startDetached(name, [
      '/usr/bin/python3',
      '-m',
      'http.server',
      String(port),
      ...extraArgs,
    ]);
    const pid = await this.waitListener(name, port, 'python3');
    await this.startLbFails(name, 'inUse');
    return pid;
  }

  /**
   * A master of the LB's own program on :80 that is not the managed instance: started with
   * another config/pid path; the managed pid file is absent or (stalePidFile) names a dead pid.
   */
  async orphanedLbMaster(name: string, opts: { stalePidFile?: boolean } = {}): Promise<number> {
    await this.lab.reset(name);
    const h = this.lab.hostDir(name);
    if (this.lab.host(name).lb === 'nginx') {
      writeFileSync(join(h, 'etc/nginx/nginx-orphan.conf'), nginxConf('/run/nginx-orphan.pid'));
      await this.lab.execOk(name, [
        '/usr/sbin/nginx',
        '-c',
        '/etc/nginx/nginx-orphan.conf',
        '-e',
        '/var/log/nginx/error.log',
      ]);
    } else {
      await this.lab.execOk(name, [
        '/bin/sh',
        '-c',
        '/usr/sbin/haproxy -D -f /etc/haproxy/haproxy.cfg -p /run/haproxy-orphan.pid 2>>/var/log/haproxy.log',
      ]);
    }
    const pid = await this.waitListener(name, 80, this.lab.host(name).lb);
    if (opts.stalePidFile) {
      const dead = (await this.lab.execOk(name, ['/bin/sh', '-c', 'echo $$'])).trim();
      writeFileSync(join(h, 'run', `${this.lab.host(name).lb}.pid`), `${dead}\n`);
    }
    return pid;
  }

  /**
   * An outbound connection that got the port as its ephemeral local port stays ESTABLISHED (to
   * the lab peer at 10.77.0.1); the port range is normal again; the LB start failed with 98.
   */
  async ephemeralCollision(name: string, port = 80): Promise<void> {
    await this.lab.reset(name);
    this.setLbPort(name, port);
    await ensurePeer(this.lab.dir);
    // The kernel refuses a port range that starts below ip_unprivileged_port_start.
    if (port < 1024) await this.lab.sysctl(name, [`net.ipv4.ip_unprivileged_port_start=${port}`]);
    await this.lab.sysctl(name, [`net.ipv4.ip_local_port_range=${port} ${port}`]);
    await this.lab.startDetached(name, [
      '/usr/bin/python3',
      '-c',
      CLIENT_PY,
      LAB_BRIDGE_ADDRESS,
      String(PEER_PORT),
    ]);
    await waitFor(`${name}: ESTAB from :${port}`, async () =>
      (await this.lab.sockets(name, port)).some((l) => l.startsWith('ESTAB')),
    );
    await this.lab.sysctl(name, [
      'net.ipv4.ip_local_port_range=32768 60999',
      'net.ipv4.ip_unprivileged_port_start=1024',
    ]);
    await this.startLbFails(name, 'inUse');
  }

  /** The documented fix: reserve the port, destroy the colliding socket, start the LB (verified listening). */
  async fixEphemeralCollision(name: string, port = 80): Promise<void> {
    await this.lab.sysctl(name, [`net.ipv4.ip_local_reserved_ports=${port}`]);
    await this.lab.execOk(name, [
      'ss',
      '-K',
      '-tn',
      'state',
      'established',
      `( sport = :${port} )`,
    ]);
    await this.startLbOk(name, port);
  }

  /** The LB run as an unprivileged user on :80 (ip_unprivileged_port_start=1024): EACCES in its log. */
  async nonRootLb(name: string): Promise<void> {
    await this.lab.reset(name);
    const kind = this.lab.host(name).lb;
    const argv =
      kind === 'nginx'
        ? [
            'setpriv',
            '--reuid=www-data',
            '--regid=www-data',
            '--init-groups',
            '/usr/sbin/nginx',
            '-e',
            '/var/log/nginx/error.log',
          ]
        : [
            'setpriv',
            '--reuid=haproxy',
            '--regid=haproxy',
            '--init-groups',
            '/bin/sh',
            '-c',
            '/usr/sbin/haproxy -D -f /etc/haproxy/haproxy.cfg -p /run/haproxy.pid 2>>/var/log/haproxy.log',
          ];
    if (kind === 'haproxy')
      await this.lab.execOk(name, ['chown', 'haproxy', '/var/log/haproxy.log']);
    await this.startFails(name, argv, 'permission');
  }

  /** The same listen twice (nginx: one server, `nginx -t` fails; HAProxy: two frontends). LB start attempted. */
  async duplicateListen(name: string): Promise<void> {
    await this.lab.reset(name);
    const h = this.lab.hostDir(name);
    if (this.lab.host(name).lb === 'nginx') {
      writeFileSync(join(h, 'etc/nginx/sites-enabled/default'), nginxSite(['80', '80']));
      const t = await this.lab.exec(name, ['/usr/sbin/nginx', '-t']);
      if (t.rc === 0) throw new Error(`${name}: nginx -t passed a duplicate listen`);
      await this.lab.startLb(name);
    } else {
      writeFileSync(join(h, 'etc/haproxy/haproxy.cfg'), haproxyCfg([':80', ':80']));
      await this.lab.startLb(name);
    }
  }

  /** No listener, LB down, only TIME-WAIT sockets with the port as local port. */
  async timeWaitOnly(name: string, port = 80): Promise<void> {
    await this.lab.reset(name);
    const addr = this.lab.host(name).address;
    await this.lab.execOk(name, ['/usr/bin/python3', '-c', TIME_WAIT_PY, addr, String(port), '3']);
    await waitFor(`${name}: only TIME-WAIT on :${port}`, async () => {
      const s = await this.lab.sockets(name, port);
      return s.length > 0 && s.every((l) => l.startsWith('TIME-WAIT'));
    });
  }

  /** A copy of python3 under /opt/portbot-lab/<host>/ listens on the port, its file deleted. Returns its pid. */
  async deletedExecutable(name: string, port = 80): Promise<number> {
    await this.lab.reset(name);
    const dir = join(OPT_DIR, name);
    mkdirSync(dir, { recursive: true });
    const exe = join(dir, 'python3');
    copyFileSync('/usr/bin/python3', exe);
    chmodSync(exe, 0o755);
    await this.lab.startDetached(name, [exe, '-m', 'http.server', String(port)]);
    const pid = await this.waitListener(name, port, 'python3');
    unlinkSync(exe);
    const link = (await this.lab.execOk(name, ['readlink', `/proc/${pid}/exe`])).trim();
    if (!link.endsWith('(deleted)')) throw new Error(`${name}: exe of ${pid} is ${link}`);
    return pid;
  }
}
