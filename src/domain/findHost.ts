import type { FleetScope } from './FleetScope';
import type { HaGroupConfig, HostConfig, Inventory } from './HostConfig';
import { PortbotError } from './PortbotError';

const LISTED = 10;

function known(names: string[]): string {
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown}, … (${names.length} in all)` : shown || 'none';
}

/** Looks a host up by its inventory name; an unknown name is a user-facing error listing valid ones. */
export function findHost(inventory: Inventory, name: string): HostConfig {
  const host = inventory.hosts.find((h) => h.name === name);
  if (host) return host;
  throw new PortbotError(
    'UNKNOWN_HOST',
    `unknown host ${JSON.stringify(name.slice(0, 64))} (known: ${known(inventory.hosts.map((h) => h.name))})`,
  );
}

export function findGroup(inventory: Inventory, name: string): HaGroupConfig {
  const group = inventory.haGroups.find((g) => g.name === name);
  if (group) return group;
  throw new PortbotError(
    'UNKNOWN_GROUP',
    `unknown haGroup ${JSON.stringify(name.slice(0, 64))} (known: ${known(inventory.haGroups.map((g) => g.name))})`,
  );
}

export function groupOf(inventory: Inventory, host: HostConfig): HaGroupConfig | null {
  if (host.haGroup === undefined) return null;
  return inventory.haGroups.find((g) => g.name === host.haGroup) ?? null;
}

/** The hosts a fleet scope covers: one HA group's members, or the whole inventory. */
export function hostsInScope(inventory: Inventory, scope: FleetScope): HostConfig[] {
  if (scope.kind === 'all') return inventory.hosts;
  return findGroup(inventory, scope.group).members.map((m) => findHost(inventory, m));
}
