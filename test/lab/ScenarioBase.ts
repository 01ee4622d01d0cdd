import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from './Lab';
import type { BindFailure } from './lbLogPatterns';
import { BIND_ERRORS, LB_LOG } from './lbLogPatterns';
import { haproxyCfg, nginxSiteForPort } from './lbConfigs';
import { waitFor } from './waitFor';

/** What every scenario needs: start the LB and verify the outcome with `ss` and the LB's log. */
export abstract class ScenarioBase {
  protected abstract get lab(): Lab;

  lbLog(name: string): string {
    return readFileSync(join(this.lab.hostDir(name), LB_LOG[this.lab.host(name).lb]), 'utf8');
  }

  protected setLbPort(name: string, port: number): void {
    if (port === 80) return;
    const h = this.lab.hostDir(name);
    if (this.lab.host(name).lb === 'nginx')
      writeFileSync(join(h, 'etc/nginx/sites-enabled/default'), nginxSiteForPort(port));
    else writeFileSync(join(h, 'etc/haproxy/haproxy.cfg'), haproxyCfg([`:${port}`]));
  }

  /** Waits until `program` listens on the port; returns its (host-namespace) pid, the master's for nginx. */
  protected async waitListener(name: string, port: number, program: string): Promise<number> {
    return waitFor(
      `${name}: ${program} listening on :${port}`,
      async () => {
        // nginx lists workers before the master: the master is the oldest, i.e. lowest, pid.
        const pids = (await this.lab.listeners(name, port)).flatMap((l) =>
          [...l.matchAll(new RegExp(`\\("${program}",pid=(\\d+),`, 'g'))].map((m) => Number(m[1])),
        );
        return pids.length > 0 ? Math.min(...pids) : undefined;
      },
      { timeoutMs: 15_000 },
    );
  }

  /** Starts the managed LB (no reset) and waits until it listens on the port, matching its pid file. */
  async startLbOk(name: string, port = 80): Promise<void> {
    const kind = this.lab.host(name).lb;
    const r = await this.lab.startLb(name);
    if (r.rc !== 0) throw new Error(`${name}: ${kind} start failed: ${r.stderr.trim()}`);
    const pidFile = join(this.lab.hostDir(name), 'run', `${kind}.pid`);
    await waitFor(`${name}: ${kind} on :${port} matching ${pidFile}`, async () => {
      if (!existsSync(pidFile)) return false;
      const pid = readFileSync(pidFile, 'utf8').trim();
      return (await this.lab.listeners(name, port)).some((l) =>
        l.includes(`("${kind}",pid=${pid},`),
      );
    });
  }

  protected async startLbFails(name: string, failure: BindFailure): Promise<void> {
    const r = await this.lab.startLb(name);
    await this.checkFailed(name, r.rc, failure);
  }

  protected async startFails(name: string, argv: string[], failure: BindFailure): Promise<void> {
    const r = await this.lab.exec(name, argv);
    await this.checkFailed(name, r.rc, failure);
  }

  protected async checkFailed(name: string, rc: number, failure: BindFailure): Promise<void> {
    const kind = this.lab.host(name).lb;
    if (rc === 0) throw new Error(`${name}: ${kind} started although it should fail (${failure})`);
    await waitFor(`${name}: ${failure} error in the ${kind} log`, () =>
      BIND_ERRORS[kind][failure].test(this.lbLog(name)),
    );
    await waitFor(
      `${name}: ${kind} gone after failing`,
      async () => !(await this.lab.lbRunning(name)),
    );
  }
}
