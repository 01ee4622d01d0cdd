import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parse, stringify } from 'yaml';
import { hostDir } from './hostFiles';
import { knownHostsText, readPublicKey } from './knownHosts';
import type { Lab } from './Lab';
import { LAB_BRIDGE_ADDRESS } from './labTypes';
import { FAR_RELAY_MARK } from './network';
import type { RelayRoute, RelayStats } from './relay/DelayRelay';

/** 25 ms each way: a 50 ms round trip, as for a bot in another region. */
export const FAR_DELAY_MS = 25;
/** bench-01 is reached at 10.77.0.1:22001, bench-02 at :22002, … (below the ephemeral range). */
const FAR_PORT_BASE = 22000;
const CHRT = '/usr/bin/chrt';

export interface FarRelays {
  /** The lab inventory with the far hosts' address and port pointing at their relay. */
  inventoryPath: string;
  /** `[10.77.0.1]:220NN <host key>` for each far host: host keys stay verified. */
  knownHostsPath: string;
  routes: readonly RelayRoute[];
  /** Whether the relay runs under the real-time scheduler (see startFarRelays). */
  realTime: boolean;
  /** What crossed the relay since it started (a child process: ask it). */
  stats(): Promise<RelayStats>;
  stop(): Promise<void>;
}

/** The compiled relay: beside this file in dist-dev/, or dist-dev/ when this runs from source. */
function relayMainPath(): string {
  const here = join(__dirname, 'relay', 'relayMain.js');
  if (existsSync(here)) return here;
  const built = join(__dirname, '..', '..', 'dist-dev', 'test', 'lab', 'relay', 'relayMain.js');
  if (existsSync(built)) return built;
  throw new Error(`no compiled relay at ${here} or ${built}: run npm run build:dev`);
}

/**
 * Puts the named lab hosts far away: one relay process in the root namespace listens on the
 * bridge address, one port per host, and forwards to the host's sshd with FAR_DELAY_MS added
 * each way (test/lab/relay/DelayRelay.ts). Writes the known_hosts for the relayed addresses and
 * an inventory that uses them; the hosts themselves are untouched, so the near and far figures
 * come from the same sshds.
 */
export async function startFarRelays(lab: Lab, names: readonly string[]): Promise<FarRelays> {
  const routes: RelayRoute[] = names.map((name, i) => ({
    listenHost: LAB_BRIDGE_ADDRESS,
    listenPort: FAR_PORT_BASE + i + 1,
    targetHost: lab.host(name).address,
    targetPort: 22,
  }));
  const knownHostsPath = join(lab.dir, 'keys', 'known_hosts-far');
  writeFileSync(
    knownHostsPath,
    knownHostsText(
      names.map((name, i) => ({
        address: `[${LAB_BRIDGE_ADDRESS}]:${routes[i]?.listenPort ?? 0}`,
        publicKey: readPublicKey(join(hostDir(lab.dir, name), 'ssh_host_ed25519_key.pub')),
        hashed: false,
      })),
    ),
  );
  const inventoryPath = join(lab.dir, 'inventory-far.yaml');
  writeFarInventory(lab.inventoryPath, inventoryPath, names, routes, knownHostsPath);
  const opts = JSON.stringify({ delayMs: FAR_DELAY_MS, routes });
  const argv = [process.execPath, relayMainPath(), FAR_RELAY_MARK, opts];
  // The relay stands for the wire, not for a program competing for the CPU: on this shared
  // 2-core machine at a load of 40 its timers woke 5-200 ms late under the normal scheduler,
  // 0.5-3 ms late as a real-time (FIFO) process. It sleeps between chunks, so it cannot starve
  // anyone. Without the right to (no CAP_SYS_NICE) it runs as a normal process.
  const fifo = [CHRT, '--fifo', '5'];
  const realTime =
    existsSync(CHRT) && spawnSync(fifo[0] ?? '', [...fifo.slice(1), 'true']).status === 0;
  const [cmd = '', ...args] = realTime ? [...fifo, ...argv] : argv;
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr.on('data', (b: Buffer) => stderr.push(b.toString()));
  const replies = lineReader(child);
  const first = await Promise.race([
    replies(),
    new Promise<string>((_, reject) =>
      setTimeout(() => reject(new Error(`far relay not ready: ${stderr.join('')}`)), 10_000),
    ),
  ]).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  if (!first.includes('"ready":true')) throw new Error(`far relay: ${first} ${stderr.join('')}`);
  return {
    inventoryPath,
    knownHostsPath,
    routes,
    realTime,
    stats: async () => {
      child.stdin.write('stats\n');
      return JSON.parse(await replies()) as RelayStats;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

/** Each call resolves with the child's next stdout line (or rejects when it exits first). */
function lineReader(child: ChildProcessWithoutNullStreams): () => Promise<string> {
  const lines: string[] = [];
  const waiting: { resolve: (l: string) => void; reject: (e: Error) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => {
    const w = waiting.shift();
    if (w) w.resolve(l);
    else lines.push(l);
  });
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`far relay exited ${code}`));
  });
  return () => {
    const l = lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (child.exitCode !== null) return Promise.reject(new Error('far relay has exited'));
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}

function writeFarInventory(
  from: string,
  to: string,
  names: readonly string[],
  routes: readonly RelayRoute[],
  knownHostsPath: string,
): void {
  const doc = parse(readFileSync(from, 'utf8')) as {
    hosts: { name: string; address: string; port: number; knownHostsPath?: string }[];
  };
  for (const h of doc.hosts) {
    const r = routes[names.indexOf(h.name)];
    if (!r) continue;
    h.address = r.listenHost;
    h.port = r.listenPort;
    h.knownHostsPath = knownHostsPath;
  }
  writeFileSync(to, `# the lab inventory, far hosts through their relay\n${stringify(doc)}`);
}
