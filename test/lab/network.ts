import { existsSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LabHostSpec } from './labTypes';
import { LAB_BRIDGE, LAB_BRIDGE_ADDRESS, LAB_PREFIX, NETNS_PREFIX, netnsOf } from './labTypes';
import { run, runOk } from './run';

/** The bridge, one netns per host and its veth pair (inner end eth0, configured by boot.sh). */
export async function createNetwork(hosts: readonly LabHostSpec[]): Promise<void> {
  const lines = [
    `link add ${LAB_BRIDGE} type bridge`,
    `addr add ${LAB_BRIDGE_ADDRESS}/${LAB_PREFIX} dev ${LAB_BRIDGE}`,
    `link set ${LAB_BRIDGE} up`,
  ];
  hosts.forEach((h, i) => {
    lines.push(`netns add ${netnsOf(h.name)}`);
    lines.push(`link add pbv${i} type veth peer name eth0 netns ${netnsOf(h.name)}`);
    lines.push(`link set pbv${i} master ${LAB_BRIDGE} up`);
  });
  await runOk(['ip', '-batch', '-'], { input: `${lines.join('\n')}\n` });
}

/** Every lab netns on the machine, including ones a crashed run left behind. */
export async function labNetnsNames(): Promise<string[]> {
  const out = await runOk(['ip', 'netns', 'list']);
  return out
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(NETNS_PREFIX));
}

/** Root-namespace pids of every process whose network namespace is ns (one /proc scan for all). */
export function netnsPidsOf(names: readonly string[]): Map<string, number[]> {
  const byInode = new Map<string, string>();
  for (const n of names) {
    try {
      byInode.set(`net:[${statSync(`/run/netns/${n}`).ino}]`, n);
    } catch {
      // not mounted (any more)
    }
  }
  const out = new Map<string, number[]>(names.map((n) => [n, []]));
  if (byInode.size === 0) return out;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let link: string;
    try {
      link = readlinkSync(`/proc/${entry}/ns/net`);
    } catch {
      continue; // exited, or a zombie
    }
    const n = byInode.get(link);
    if (n !== undefined) out.get(n)?.push(Number(entry));
  }
  return out;
}

export function netnsPids(ns: string): number[] {
  return netnsPidsOf([ns]).get(ns) ?? [];
}

function killPids(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Kills every process in every lab netns (SIGKILL: `unshare --fork` ignores SIGTERM and
 * --kill-child then takes the host's PID namespace down), the root-namespace peer, busy
 * clients and far-hosts relay, and deletes
 * namespaces, veths and the bridge. Safe to call when nothing is up.
 */
export async function teardownNetwork(labDir: string): Promise<void> {
  killPeer(labDir);
  stopBusyClients();
  killMarked(FAR_RELAY_MARK);
  const names = await labNetnsNames();
  const pids = [...netnsPidsOf(names).values()].flat();
  // Host wrappers whose netns is already gone (an interrupted run) are found by their boot script.
  killPids([...pids, ...orphanWrapperPids(labDir)]);
  const lines = names.map((n) => `netns del ${n}`);
  const links = await run(['ip', '-o', 'link', 'show']);
  for (const m of links.stdout.matchAll(/^\d+: (pbv\d+)[@:]/gm)) lines.push(`link del ${m[1]}`);
  if (/^\d+: pbbr0[@:]/m.test(links.stdout)) lines.push(`link del ${LAB_BRIDGE}`);
  // -force: keep going past links that vanished with their netns meanwhile.
  if (lines.length > 0)
    await run(['ip', '-force', '-batch', '-'], { input: `${lines.join('\n')}\n` });
}

/** `unshare … <labDir>/hosts/<name>/boot.sh` processes: `--kill-child` takes their host down with them. */
function orphanWrapperPids(labDir: string): number[] {
  const marker = `${join(labDir, 'hosts')}/`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (
        argv[0]?.endsWith('unshare') &&
        argv.some((a) => a.startsWith(marker) && a.endsWith('/boot.sh'))
      ) {
        found.push(Number(entry));
      }
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

export const PEER_MARK = 'portbot-lab-peer';

export function peerPidFile(labDir: string): string {
  return join(labDir, 'peer.pid');
}

/** In the argv of every busy-LB client (busyLb.ts), so teardown finds them whatever their pids. */
export const BUSY_MARK = 'portbot-lab-busy-clients';

/** Kills every busy-LB client (their connections close with them). Safe when none runs. */
export function stopBusyClients(): void {
  killMarked(BUSY_MARK);
}

/** In the argv of the far-hosts relay (farRelays.ts): teardown stops one a dead bench left. */
export const FAR_RELAY_MARK = 'portbot-lab-far-relay';

/** Kills every process whose command line carries mark. Safe when none runs. */
export function killMarked(mark: string): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(mark)) {
        process.kill(Number(entry), 'SIGKILL');
      }
    } catch {
      // exited meanwhile
    }
  }
}

function killPeer(labDir: string): void {
  const f = peerPidFile(labDir);
  if (!existsSync(f)) return;
  const pid = Number(readFileSync(f, 'utf8'));
  try {
    // Only our own peer: pids are reused.
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(PEER_MARK))
      process.kill(pid, 'SIGKILL');
  } catch {
    // gone
  }
  rmSync(f, { force: true });
}
