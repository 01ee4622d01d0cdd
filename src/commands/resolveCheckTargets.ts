import type { FleetScope } from '../domain/FleetScope';
import { findHost, hostsInScope } from '../domain/findHost';
import type { HostConfig, Inventory } from '../domain/HostConfig';
import type { PortCommand } from '../ingress/slashCommand/PortCommand';

export type CheckCommand = Extract<
  PortCommand,
  { kind: 'check-host' | 'check-group' | 'check-all' }
>;

/** One host gets an incident of its own; a group or `all` gets one fleet check. */
export type CheckTargets =
  | { kind: 'host'; host: HostConfig; port: number }
  | { kind: 'fleet'; scope: FleetScope; hosts: HostConfig[]; port: number };

/** Looks the names up in the inventory; unknown ones throw a user-facing PortbotError. */
export function resolveCheckTargets(inventory: Inventory, cmd: CheckCommand): CheckTargets {
  switch (cmd.kind) {
    case 'check-host':
      return { kind: 'host', host: findHost(inventory, cmd.host), port: cmd.port };
    case 'check-group':
      return {
        kind: 'fleet',
        scope: { kind: 'group', group: cmd.group },
        hosts: hostsInScope(inventory, { kind: 'group', group: cmd.group }),
        port: cmd.port,
      };
    case 'check-all':
      return { kind: 'fleet', scope: { kind: 'all' }, hosts: inventory.hosts, port: cmd.port };
  }
}
