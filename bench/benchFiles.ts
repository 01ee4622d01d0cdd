import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { HostConfig } from '../src/domain/HostConfig';

/** The repository root: bench runs from bench/ (ts) and dist-dev/bench/ (compiled). */
export function repoRoot(fromDir: string = __dirname): string {
  let dir = fromDir;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fromDir}`);
    dir = parent;
  }
  return dir;
}

/**
 * The lab inventory cut down to the bench hosts, so `portbot diagnose --all` visits exactly
 * the hosts parallel-ssh visits. It may be written elsewhere: relative key paths in `defaults`
 * are made absolute against the lab inventory's folder.
 */
export function writeBenchInventory(
  labInventory: string,
  hostNames: readonly string[],
  out: string,
): void {
  const data = parse(readFileSync(labInventory, 'utf8')) as {
    defaults?: Record<string, unknown>;
    hosts?: { name?: string; haGroup?: string }[];
  };
  const wanted = new Set(hostNames);
  const hosts = (data.hosts ?? []).filter((h) => h.name !== undefined && wanted.has(h.name));
  if (hosts.length !== hostNames.length) {
    throw new Error(`${labInventory} holds ${hosts.length} of ${hostNames.length} bench hosts`);
  }
  const defaults = { ...data.defaults };
  for (const k of ['privateKeyPath', 'knownHostsPath']) {
    const v = defaults[k];
    if (typeof v === 'string') defaults[k] = resolve(dirname(labInventory), v);
  }
  delete defaults.remediation;
  const trimmed = { defaults, hosts: hosts.map(({ haGroup: _drop, ...h }) => h) };
  writeFileSync(out, `# bench hosts only, cut from ${labInventory}\n${stringify(trimmed)}`);
}

/** parallel-ssh host lines, "address:port". */
export function writePsshHosts(hosts: readonly HostConfig[], out: string): void {
  writeFileSync(out, hosts.map((h) => `${h.address}:${h.port}\n`).join(''));
}

export function writeResults(results: unknown, root: string = repoRoot()): string {
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
