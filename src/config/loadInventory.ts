import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { HaGroupConfig, HostConfig, Inventory } from '../domain/HostConfig';
import { PortbotError } from '../domain/PortbotError';
import type { ProtectedAgent } from '../domain/ProtectedAgent';
import { formatZodIssues } from './formatZodIssues';
import { loadProtectedAgents, mergeProtectedAgents, toProtectedAgent } from './loadProtectedAgents';
import { defaultRunbooksDir } from './loadRunbooks';
import { InventoryFileSchema, type InventoryFile } from './inventorySchema';
import { toHostConfig } from './toHostConfig';
import { withoutUndefined } from './withoutUndefined';

/**
 * Reads and validates the inventory. Every problem is reported at once, one line each, naming
 * the file, the field and what is wrong; the thrown error has code INVENTORY_INVALID (exit 2).
 */
export function loadInventory(
  file: string,
  lbKinds: ReadonlySet<string>,
  shippedAgents: readonly ProtectedAgent[] = loadProtectedAgents(defaultRunbooksDir()),
): Inventory {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'cannot read';
    throw new PortbotError('INVENTORY_INVALID', `${path}: ${reason}`);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map(
      (e) =>
        `${path}:${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? ''}`,
    );
    throw invalid(lines);
  }
  const parsed = InventoryFileSchema.safeParse(doc.toJS(), { reportInput: true });
  if (!parsed.success) throw invalid(formatZodIssues(path, parsed.error.issues));

  const baseDir = dirname(path);
  const hosts = parsed.data.hosts.map((h) =>
    toHostConfig(h, parsed.data.defaults ?? {}, (p) => abs(baseDir, p)),
  );
  const haGroups: HaGroupConfig[] = (parsed.data.haGroups ?? []).map((g) => ({
    name: g.name,
    kind: g.kind,
    vip: g.vip,
    members: g.members,
    ...(g.commands ? { commands: withoutUndefined(g.commands) } : {}),
  }));
  const problems = crossCheck(path, parsed.data, hosts, haGroups, lbKinds);
  if (problems.length > 0) throw invalid(problems);
  const protectedAgents = mergeProtectedAgents(
    shippedAgents,
    (parsed.data.protectedAgents ?? []).map(toProtectedAgent),
  );
  return { path, hosts, haGroups, protectedAgents };
}

function invalid(lines: string[]): PortbotError {
  const count = lines.length === 1 ? '1 problem' : `${lines.length} problems`;
  return new PortbotError(
    'INVENTORY_INVALID',
    `invalid inventory (${count}):\n  ${lines.join('\n  ')}`,
  );
}

function abs(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(baseDir, p);
}

function crossCheck(
  path: string,
  file: InventoryFile,
  hosts: HostConfig[],
  groups: HaGroupConfig[],
  lbKinds: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const at = (where: string, what: string) => problems.push(`${path}: ${where}: ${what}`);
  const seen = new Map<string, number>();
  hosts.forEach((h, i) => {
    const first = seen.get(h.name);
    if (first !== undefined)
      at(`hosts[${i}].name`, `duplicate host name '${h.name}' (also hosts[${first}])`);
    else seen.set(h.name, i);
    if (h.lb && !lbKinds.has(h.lb.kind)) {
      at(
        `hosts[${i}].lb.kind`,
        `unknown LB kind '${h.lb.kind}' (known: ${[...lbKinds].sort().join(', ')})`,
      );
    }
    if (h.privateKeyPath && !existsSync(h.privateKeyPath)) {
      at(`hosts[${i}].privateKeyPath`, `key file not found: ${h.privateKeyPath}`);
    }
    if (h.hostKey === undefined) {
      if (h.knownHostsPath === undefined) {
        at(`hosts[${i}]`, 'no hostKey and no knownHostsPath: host keys are always verified');
      } else if (!existsSync(h.knownHostsPath)) {
        at(`hosts[${i}].knownHostsPath`, `known_hosts file not found: ${h.knownHostsPath}`);
      }
    }
    if (h.haGroup !== undefined && !groups.some((g) => g.name === h.haGroup)) {
      at(`hosts[${i}].haGroup`, `haGroup '${h.haGroup}' is not defined in haGroups`);
    }
  });
  const groupSeen = new Set<string>();
  groups.forEach((g, i) => {
    if (groupSeen.has(g.name)) at(`haGroups[${i}].name`, `duplicate haGroup name '${g.name}'`);
    groupSeen.add(g.name);
    g.members.forEach((m, j) => {
      if (!seen.has(m)) at(`haGroups[${i}].members[${j}]`, `'${m}' is not a host in hosts`);
    });
  });
  const remediationKey = file.defaults?.remediation?.privateKeyPath;
  if (remediationKey !== undefined && !existsSync(abs(dirname(path), remediationKey))) {
    at(
      'defaults.remediation.privateKeyPath',
      `key file not found: ${abs(dirname(path), remediationKey)}`,
    );
  }
  return problems;
}
