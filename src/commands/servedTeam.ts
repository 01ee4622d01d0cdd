import type { Policy } from '../domain/Policy';

/**
 * The workspace an interaction came from (the `team.id` of Slack's signed payload) when portbot
 * serves it (the policy's `workspaces` lists it, or lists none); '' otherwise, which no identity
 * matches. Never the acting user's own team: a user of another team (Slack Connect, Grid, a
 * reused user id) must not bring their workspace with them.
 */
export function servedTeam(policy: Pick<Policy, 'workspaces'>, payloadTeam: string): string {
  const allowed = policy.workspaces;
  if (payloadTeam === '') return '';
  return allowed === undefined || allowed.includes(payloadTeam) ? payloadTeam : '';
}
