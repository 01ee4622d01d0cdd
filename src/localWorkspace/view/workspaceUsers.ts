import type { Policy, Principals } from '../../domain/Policy';
import type { WorkspaceRole, WorkspaceUser } from './WorkspaceView';

/** Named in no list of the policy: shows what portbot refuses to strangers. */
export const OUTSIDER_ID = 'U0OUTSIDER';
/** Played when the policy names nobody (everyone may run /port, nobody may remediate). */
export const LOCAL_USER_ID = 'U0LOCALUSER';

/**
 * The people one person plays on the local workspace page: every user the policy names, one
 * member of each user group it names, with the roles it gives them, and an outsider it names
 * nowhere. "*" names nobody in particular.
 */
export function workspaceUsers(policy: Policy): WorkspaceUser[] {
  const roles = new Map<string, WorkspaceRole[]>();
  const add = (ids: readonly string[] | undefined, role: WorkspaceRole) => {
    for (const id of ids ?? []) {
      if (id === '*') continue;
      roles.set(id, [...(roles.get(id) ?? []), role]);
    }
  };
  const groups = (p: Principals | undefined) =>
    (p?.groups ?? []).filter((g) => g !== '*').map(groupMemberId);
  add(policy.remediation?.requesters.users, 'requester');
  add(groups(policy.remediation?.requesters), 'requester');
  add(policy.remediation?.approvers.users, 'approver');
  add(groups(policy.remediation?.approvers), 'approver');
  add(policy.auditors?.users, 'auditor');
  add(groups(policy.auditors), 'auditor');
  add(
    policy.commands.users.filter((id) => !roles.has(id)),
    'command user',
  );
  if (roles.size === 0) roles.set(LOCAL_USER_ID, ['command user']);
  const groupNames = new Map(
    Object.keys(workspaceGroups(policy)).map((g) => [
      groupMemberId(g),
      `${g.toLowerCase()}-member`,
    ]),
  );
  const users = [...roles].map(([id, r]) => ({
    id,
    name: groupNames.get(id) ?? nameFor(id),
    roles: r,
  }));
  const outsider = roles.has(OUTSIDER_ID)
    ? []
    : [{ id: OUTSIDER_ID, name: 'outsider', roles: ['outsider' as const] }];
  return [...users, ...outsider];
}

/** "U0ALICE" → "alice": the policy has ids only; a readable handle for the switcher and mentions. */
export function nameFor(id: string): string {
  const handle = id.replace(/^[UW]0*/, '').toLowerCase();
  return handle.length > 0 ? handle : id.toLowerCase();
}

/** The one member the local Slack gives a policy's user group (S0LEADS → US0LEADS). */
export function groupMemberId(group: string): string {
  return `U${group}`;
}

/** The user groups the policy names, each with its one member, for usergroups.users.list. */
export function workspaceGroups(policy: Policy): Record<string, string[]> {
  const named = [policy.remediation?.requesters, policy.remediation?.approvers, policy.auditors]
    .flatMap((p) => p?.groups ?? [])
    .filter((g) => g !== '*');
  return Object.fromEntries(named.map((g) => [g, [groupMemberId(g)]]));
}
