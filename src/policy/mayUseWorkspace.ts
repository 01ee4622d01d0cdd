/**
 * Whether a request from this Slack workspace (team) or Enterprise Grid org may use portbot:
 * the policy's `workspaces` list names the allowed ids; without it every workspace may.
 */
export function mayUseWorkspace(
  allowed: readonly string[] | undefined,
  teamId: string | null,
  enterpriseId: string | null,
): boolean {
  if (allowed === undefined || allowed.includes('*')) return true;
  return (
    (teamId !== null && allowed.includes(teamId)) ||
    (enterpriseId !== null && allowed.includes(enterpriseId))
  );
}
