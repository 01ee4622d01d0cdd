import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import type { HostConfig } from '../src/domain/HostConfig';

/** The repository root: bench runs from bench/ (ts) and dist/bench/ (compiled). */
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
 * The lab inventory cut down to the bench hosts, next to it (relative key paths keep working),
 * so `portbot diagnose --all` visits exactly the hosts parallel-ssh visits.
 */
export function writeBenchInventory(
  labInventory: string,
  hostNames: readonly string[],
  out: string,
): void {
  const doc = parseDocument(readFileSync(labInventory, 'utf8'));
  const data = doc.toJS() as { hosts?: { name?: string; haGroup?: string }[]; haGroups?: unknown };
  const wanted = new Set(hostNames);
  const hosts = (data.hosts ?? []).filter((h) => h.name !== undefined && wanted.has(h.name));
  if (hosts.length !== hostNames.length) {
    throw new Error(`${labInventory} holds ${hosts.length} of ${hostNames.length} bench hosts`);
  }
  const trimmed = { ...data, hosts: hosts.map(({ haGroup: _drop, ...h }) => h), haGroups: [] };
  writeFileSync(
    out,
    `# bench hosts only, cut from ${labInventory}\n${JSON.stringify(trimmed, null, 2)}\n`,
  );
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
