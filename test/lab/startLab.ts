import { chownSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diagSudoers, ensureDiagUser } from './diagUser';
import { hostDir, assertSafePath, writeHostFiles } from './hostFiles';
import { fingerprintOf, generateKey, knownHostsText, readPublicKey } from './knownHosts';
import type { LabGroup } from './Lab';
import { Lab } from './Lab';
import { stopLab } from './stopLab';
import type { LabHostSpec, LabOptions } from './labTypes';
import { DEFAULT_HOSTS, LAB_VIP, benchHostSpecs } from './labTypes';
import { ensureKeepalived } from './keepalivedControl';
import { acquireLab } from './labLock';
import { createNetwork } from './network';
import { tcpState } from './tcpState';
import { waitFor } from './waitFor';
import { writeInventory } from './writeInventory';

export function labDir(dir?: string): string {
  return resolve(dir ?? process.env.PORTBOT_LAB_DIR ?? '/tmp/portbot-lab');
}

/** Runs fn over items with at most `limit` in flight (the machine has 2 cores). */
export async function inPool<T>(
  items: readonly T[],
  limit: number,
  fn: (t: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Hosts booting at once. Every boot is a burst of mounts and execs (ip netns exec, unshare,
 * boot.sh's bind mounts, sshd); started all together, 200 of them queue behind each other on 2
 * cores and the last sshd answers after its readiness wait has run out. A bounded pool starts
 * each host's clock when it actually starts booting. Above the integration lab's host count, so
 * that lab boots all at once as before.
 */
const BOOT_PARALLEL = 16;

function validateHosts(hosts: readonly LabHostSpec[]): void {
  const seen = new Set<string>();
  for (const h of hosts) {
    if (!/^[a-z0-9][a-z0-9-]{0,11}$/.test(h.name))
      throw new Error(`lab host name must be short [a-z0-9-]: ${h.name}`);
    if (!/^10\.77\.\d{1,3}\.\d{1,3}$/.test(h.address))
      throw new Error(`lab host address must be in 10.77.0.0/16: ${h.address}`);
    for (const k of [h.name, h.address]) {
      if (seen.has(k)) throw new Error(`duplicate lab host name/address ${k}`);
      seen.add(k);
    }
  }
}

function groupsOf(hosts: readonly LabHostSpec[]): LabGroup[] {
  const groups: LabGroup[] = [];
  for (const h of hosts) {
    if (h.haGroup === undefined) continue;
    let g = groups.find((x) => x.name === h.haGroup);
    if (!g) {
      const i = groups.length;
      g = {
        name: h.haGroup,
        vip: i === 0 ? LAB_VIP : `10.77.0.${101 + i}`,
        routerId: 77 + i,
        members: [],
      };
      groups.push(g);
    }
    g.members.push(h.name);
  }
  return groups;
}

/**
 * Brings up the lab (after tearing down any leftover one): bridge, one namespaced host per spec
 * with its own sshd, the inventory and known_hosts, every LB healthy and, unless disabled,
 * keepalived on each haGroup with the VIP on its highest-priority member. Waits while another
 * live process owns a lab (see labLock).
 */
export async function startLab(
  opts: LabOptions = {},
  log: (msg: string) => void = (m) => console.warn(m),
): Promise<Lab> {
  const t0 = Date.now();
  const phase = (what: string): void => {
    if (process.env.PORTBOT_LAB_DEBUG) log(`lab: ${what} after ${Date.now() - t0} ms`);
  };
  const dir = labDir(opts.dir);
  assertSafePath(dir);
  const hosts = [...(opts.hosts ?? DEFAULT_HOSTS), ...benchHostSpecs(opts.benchHosts ?? 0)];
  validateHosts(hosts);
  await acquireLab(dir, opts.waitForOtherLabMs ?? 120_000, log);
  await stopLab(dir);
  phase('old lab down');
  const keys = join(dir, 'keys');
  mkdirSync(keys, { recursive: true });
  writeFileSync(join(dir, '.portbot-lab'), 'portbot test lab; `npm run lab:down` removes it\n');
  await Promise.all([
    generateKey(join(keys, 'id_ed25519'), 'portbot-lab'),
    generateKey(join(keys, 'remediate_ed25519'), 'portbot-lab-remediate'),
  ]);
  const authorizedKeys = `${readPublicKey(join(keys, 'id_ed25519.pub'))} portbot-lab\n${readPublicKey(join(keys, 'remediate_ed25519.pub'))} portbot-lab-remediate\n`;
  const needsSudo = hosts.some((h) => (h.user ?? 'root') !== 'root');
  const diag = needsSudo ? await ensureDiagUser() : null;
  const sudoers = needsSudo ? await diagSudoers(dir, log) : null;
  const groups = groupsOf(hosts);
  const lab = new Lab(dir, hosts, groups, new Map());
  for (const spec of hosts) {
    const sudo = (spec.user ?? 'root') !== 'root' ? sudoers : null;
    writeHostFiles({
      labDir: dir,
      spec,
      allHosts: hosts,
      sudoers: sudo,
      keepalived: lab.keepalivedParams(spec.name),
      authorizedKeys,
    });
    const home = join(hostDir(dir, spec.name), 'home');
    mkdirSync(home, { mode: 0o755 });
    if (diag) chownSync(home, diag.uid, diag.gid);
  }
  phase('host trees');
  await inPool(hosts, 8, async (h) => {
    const key = join(hostDir(dir, h.name), 'ssh_host_ed25519_key');
    await generateKey(key, h.name);
    copyFileSync(key, `${key}.orig`);
    copyFileSync(`${key}.pub`, `${key}.orig.pub`);
  });
  writeLabKnownHosts(dir, hosts);
  writeInventory({
    path: lab.inventoryPath,
    keyPath: lab.keyPath,
    remediateKeyPath: join(keys, 'remediate_ed25519'),
    knownHostsPath: lab.knownHostsPath,
    hosts,
    groups,
    pins: new Map(
      hosts
        .filter((h) => h.name === 'lb-03')
        .map((h) => [h.name, fingerprintOf(hostPub(dir, h.name))]),
    ),
  });
  ensureNginxTempDirs();
  phase('files and keys');
  await createNetwork(hosts);
  phase('network');
  lab.saveState();
  const bootMs: number[] = [];
  await inPool(hosts, BOOT_PARALLEL, async (h) => {
    const b0 = Date.now();
    await lab.bootHost(h.name);
    bootMs.push(Date.now() - b0);
  });
  bootMs.sort((a, b) => a - b);
  phase(`sshd up (per host: median ${bootMs[bootMs.length >> 1]} ms, max ${bootMs.at(-1)} ms)`);
  // keepalived first: its ~3.5 s election overlaps the LB starts. Fresh hosts need no reset().
  const ka = opts.keepalived !== false;
  if (ka) await Promise.all(groups.flatMap((g) => g.members.map((m) => ensureKeepalived(lab, m))));
  await inPool(hosts, 8, async (h) => {
    if (h.lbAtBoot !== true) return lab.startLbOk(h.name);
    await waitFor(
      `${h.name}: nginx on :80`,
      async () => (await tcpState(h.address, 80)) === 'open',
    );
  });
  phase('LBs healthy');
  if (ka) await Promise.all(groups.map((g) => lab.keepalived(true, g.name)));
  phase('VIPs placed');
  return lab;
}

function hostPub(dir: string, name: string): string {
  return readPublicKey(join(hostDir(dir, name), 'ssh_host_ed25519_key.pub'));
}

/** lb-01/lb-02 hashed (`ssh-keygen -H` style), every other host plain; keyed by IP (port 22). */
function writeLabKnownHosts(dir: string, hosts: readonly LabHostSpec[]): void {
  const entries = hosts.map((h) => ({
    address: h.address,
    publicKey: hostPub(dir, h.name),
    hashed: h.name === 'lb-01' || h.name === 'lb-02',
  }));
  writeFileSync(join(dir, 'keys', 'known_hosts'), knownHostsText(entries));
}

/** nginx creates these as root on first start; an unprivileged nginx must find them to reach bind(). */
function ensureNginxTempDirs(): void {
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    const p = join('/var/lib/nginx', d);
    mkdirSync(p, { recursive: true, mode: 0o700 });
    chownSync(p, 33, 0);
  }
}
