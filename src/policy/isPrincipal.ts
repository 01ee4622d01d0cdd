import type { Principals } from '../domain/Policy';

/** Whether a user is named in a policy list directly, by "*", or through a user group. */
export function isPrincipal(
  principals: Principals,
  userId: string,
  userGroups: readonly string[],
): boolean {
  if (principals.users.includes('*') || principals.users.includes(userId)) return true;
  return principals.groups.some((g) => g === '*' || userGroups.includes(g));
}
