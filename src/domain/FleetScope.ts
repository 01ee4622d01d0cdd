/** What a fleet check covers: the members of one HA group, or every host in the inventory. */
export type FleetScope = { kind: 'group'; group: string } | { kind: 'all' };

/** How people write the scope in `/port check` and read it in Slack and the audit log. */
export function describeFleetScope(scope: FleetScope): string {
  return scope.kind === 'group' ? `group:${scope.group}` : 'all';
}
