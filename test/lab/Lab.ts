import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostDir } from './hostFiles';
import type { KeepalivedParams } from './lbConfigs';
import { HAPROXY_START, NGINX_START } from './lbConfigs';
import type { LabHostSpec } from './labTypes';
import { netnsOf } from './labTypes';
import { releaseLab } from './labLock';
import type { RunResult } from './run';
import { killQuietly, lines, run, runOk, spawnDetached } from './run';
import { resetHost } from './resetHost';
import { stopLab } from './stopLab';
import { tcpState } from './tcpState';
import { LabScenarios } from './LabScenarios';
import { waitFor } from './waitFor';

export interface LabGroup {
  name: string;
  vip: string;
  routerId: number;
  members: string[];
}

/** A running lab. Scenario helpers live in LabScenarios; this is the host plumbing they use. */
export class Lab extends LabScenarios {
  private readonly sshdPids = new Map<string, number>();
  /** keepalived priority overrides set by scenarios; reset() drops them. */
  readonly priorityOverride = new Map<string, number>();

  constructor(
    readonly dir: string,
    readonly hosts: readonly LabHostSpec[],
    readonly groups: readonly LabGroup[],
    private readonly wrappers: Map<string, number>,
  ) {
    super();
  }

  protected get lab(): Lab {
    return this;
  }

  get inventoryPath(): string {
    return join(this.dir, 'inventory.yaml');
  }
  get keyPath(): string {
    return join(this.dir, 'keys', 'id_ed25519');
  }
  get knownHostsPath(): string {
    return join(this.dir, 'keys', 'known_hosts');
  }

  host(name: string): LabHostSpec {
    const h = this.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no lab host ${name}`);
    return h;
  }

  hostDir(name: string): string {
    return hostDir(this.dir, this.host(name).name);
  }

  /** OpenSSH client argv for the host, verifying its key against the lab known_hosts. */
  sshArgv(name: string, remote: string[], user = this.host(name).user ?? 'root'): string[] {
    return [
      'ssh',
      '-i',
      this.keyPath,
      '-o',
      `UserKnownHostsFile=${this.knownHostsPath}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=10',
      '-o',
      'LogLevel=ERROR',
      `${user}@${this.host(name).address}`,
      ...remote,
    ];
  }

  async sshdPid(name: string): Promise<number> {
    const cached = this.sshdPids.get(name);
    if (cached !== undefined && existsSync(`/proc/${cached}`)) return cached;
    const wrapper = this.wrappers.get(name);
    if (wrapper === undefined) throw new Error(`host ${name} is not running`);
    const pid = await waitFor(
      `sshd of ${name}`,
      async () => {
        const r = await run(['pgrep', '-P', String(wrapper)]);
        const first = r.stdout.split('\n')[0];
        return first ? Number(first) : undefined;
      },
      { timeoutMs: 5000 },
    );
    this.sshdPids.set(name, pid);
    return pid;
  }

  /** Runs argv inside the host (all its namespaces), as root. */
  async exec(
    name: string,
    argv: readonly string[],
    opts: { timeoutMs?: number; input?: string } = {},
  ): Promise<RunResult> {
    const pid = await this.sshdPid(name);
    return run(['nsenter', '-t', String(pid), '-a', ...argv], opts);
  }

  async execOk(name: string, argv: readonly string[]): Promise<string> {
    const r = await this.exec(name, argv);
    if (r.rc !== 0)
      throw new Error(`${name}: ${argv.join(' ')} exited ${r.rc}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** Starts a daemon-like process in the host (new session, parent = the host's PID 1). */
  async startDetached(
    name: string,
    argv: readonly string[],
    logName = 'lab-processes.log',
  ): Promise<void> {
    const pid = await this.sshdPid(name);
    const log = join(this.hostDir(name), 'var/log', logName);
    spawnDetached(['nsenter', '-t', String(pid), '-a', '/usr/bin/setsid', '-f', ...argv], log);
  }

  async sysctl(name: string, settings: readonly string[]): Promise<void> {
    const pid = await this.sshdPid(name);
    await runOk(['nsenter', '-t', String(pid), '-n', 'sysctl', '-q', '-w', ...settings]);
  }

  /** `ss -Htlnp 'sport = :PORT'` lines inside the host. */
  async listeners(name: string, port: number): Promise<string[]> {
    return lines(await this.execOk(name, ['ss', '-Htlnp', `sport = :${port}`]));
  }

  /** All TCP sockets (any state) with the given local port. */
  async sockets(name: string, port: number): Promise<string[]> {
    return lines(await this.execOk(name, ['ss', '-Htanp', `sport = :${port}`]));
  }

  async lbRunning(name: string): Promise<boolean> {
    const r = await this.exec(name, ['pgrep', '-x', this.host(name).lb]);
    return r.rc === 0;
  }

  /** Starts the managed LB the way the inventory's start command does. */
  async startLb(name: string): Promise<RunResult> {
    if (this.host(name).lb === 'nginx') return this.exec(name, NGINX_START);
    return this.exec(name, ['/bin/sh', '-c', HAPROXY_START]);
  }

  keepalivedParams(name: string): KeepalivedParams | null {
    const spec = this.host(name);
    const g = this.groups.find((x) => x.name === spec.haGroup);
    if (!g) return null;
    const base = spec.priority ?? 100;
    const priority = this.priorityOverride.get(name) ?? base;
    const top = Math.max(...g.members.map((m) => this.host(m).priority ?? 100));
    return {
      host: name,
      group: g.name,
      vip: g.vip,
      routerId: g.routerId,
      priority,
      master: priority === top && priority === base,
    };
  }

  /**
   * Clean baseline: every process but sshd killed, VIPs dropped, configs, sysctls, logs and pid
   * files restored, sockets that outlived their processes destroyed. A host whose sshd is down
   * is booted again.
   */
  async reset(name: string): Promise<void> {
    if (!this.isUp(name)) await this.bootHost(name);
    this.priorityOverride.delete(name);
    await resetHost(this, name);
  }

  wrapperPid(name: string): number | undefined {
    return this.wrappers.get(name);
  }

  isUp(name: string): boolean {
    const w = this.wrappers.get(name);
    return w !== undefined && existsSync(`/proc/${w}`);
  }

  /** Boots the host: its namespaces with sshd as PID 1; resolves when :22 accepts. */
  async bootHost(name: string): Promise<void> {
    const h = this.hostDir(name);
    const wrapper = spawnDetached(
      [
        'ip',
        'netns',
        'exec',
        netnsOf(name),
        'unshare',
        '--pid',
        '--fork',
        '--kill-child',
        '--mount-proc',
        '--mount',
        '--uts',
        '/bin/sh',
        join(h, 'boot.sh'),
      ],
      join(h, 'boot.log'),
    );
    this.wrappers.set(name, wrapper);
    this.sshdPids.delete(name);
    this.saveState();
    await waitFor(
      `${name}: sshd on :22`,
      () => tcpState(this.host(name).address, 22).then((s) => s === 'open'),
      { timeoutMs: 15_000 },
    );
  }

  /** Takes the whole host down (its PID namespace dies with PID 1); the netns stays. */
  async killHost(name: string): Promise<void> {
    const w = this.wrappers.get(name);
    if (w !== undefined) killQuietly(w);
    this.sshdPids.delete(name);
    await waitFor(`${name}: :22 refused`, () =>
      tcpState(this.host(name).address, 22).then((s) => s === 'refused'),
    );
  }

  saveState(): void {
    const state = {
      dir: this.dir,
      hosts: this.hosts,
      groups: this.groups,
      wrappers: Object.fromEntries(this.wrappers),
    };
    writeFileSync(join(this.dir, 'lab.json'), JSON.stringify(state, null, 2));
  }

  async stop(): Promise<void> {
    await stopLab(this.dir);
    releaseLab();
  }
}
