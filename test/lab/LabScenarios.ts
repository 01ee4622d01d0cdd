import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { changeHostKey, restoreHost } from './hostKeys';
import { ensureKeepalived, keepalivedSwitch, vipHolders, waitVip } from './keepalivedControl';
import { haproxyCfg, keepalivedConf, nginxSite } from './lbConfigs';
import { SharedPortScenarios } from './SharedPortScenarios';
import { startBusyLb } from './busyLb';

/** HA (keepalived/VIP) and SSH-level scenarios on top of the LB ones. */
export abstract class LabScenarios extends SharedPortScenarios {
  /**
   * keepalived runs on the group with the other member MASTER (this one's priority lowered);
   * the LB binds the VIP, which this node lacks (ip_nonlocal_bind=0): EADDRNOTAVAIL in its log.
   */
  async vipNotHeld(name: string): Promise<void> {
    const group = this.lab.groups.find((g) => g.name === this.lab.host(name).haGroup);
    if (!group) throw new Error(`${name} is in no haGroup`);
    await this.lab.reset(name);
    this.lab.priorityOverride.set(name, 50);
    const h = this.lab.hostDir(name);
    const ka = this.lab.keepalivedParams(name);
    if (ka) writeFileSync(join(h, 'etc/keepalived/keepalived.conf'), keepalivedConf(ka));
    for (const m of group.members) await ensureKeepalived(this.lab, m);
    const others = group.members.filter((m) => m !== name);
    const holder = others.reduce((a, b) =>
      (this.lab.host(b).priority ?? 100) > (this.lab.host(a).priority ?? 100) ? b : a,
    );
    await waitVip(this.lab, holder, group.name);
    if (this.lab.host(name).lb === 'nginx')
      writeFileSync(join(h, 'etc/nginx/sites-enabled/default'), nginxSite([`${group.vip}:80`]));
    else writeFileSync(join(h, 'etc/haproxy/haproxy.cfg'), haproxyCfg([`${group.vip}:80`]));
    await this.startLbFails(name, 'notAvailable');
  }

  /** Starts (and waits for the expected MASTER) or stops keepalived on every member of the group. */
  async keepalived(up: boolean, group = 'edge'): Promise<void> {
    await keepalivedSwitch(this.lab, up, group);
  }

  async waitVip(node: string, group = 'edge', timeoutMs = 30_000): Promise<void> {
    await waitVip(this.lab, node, group, timeoutMs);
  }

  async vipHolders(group = 'edge'): Promise<string[]> {
    return vipHolders(this.lab, group);
  }

  /**
   * nginx healthy on :80 holding `connections` accepted connections from clients in the root
   * namespace (a busy LB); reset() or the lab's teardown ends them.
   */
  async busyLb(name: string, connections: number): Promise<void> {
    await startBusyLb(this.lab, name, connections);
  }

  /** The host's sshd (its PID 1) is gone: connecting to :22 is refused. */
  async sshdDown(name: string): Promise<void> {
    await this.lab.killHost(name);
  }

  /** sshd back (booting the host if needed) with its original host key; other state untouched. */
  async restore(name: string): Promise<void> {
    await restoreHost(this.lab, name);
  }

  /** A new host key, sshd re-exec'd (SIGHUP); known_hosts and the inventory keep the old one. */
  async changeHostKey(name: string): Promise<void> {
    await changeHostKey(this.lab, name);
  }
}
