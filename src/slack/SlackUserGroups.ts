import type { WebClient } from '@slack/web-api';
import type { Principals } from '../domain/Policy';
import type { Log } from '../domain/Log';

/** Group membership changes rarely; a short cache keeps a burst of clicks to one call a group. */
const CACHE_MS = 60_000;

/**
 * Which of the policy's user groups a user belongs to, via usergroups.users.list (one call per
 * group named in the policy, cached briefly). A group Slack will not list (no usergroups:read
 * scope, the local Slack) counts as empty: membership through it is then refused, never assumed.
 */
export class SlackUserGroups {
  private readonly cache = new Map<string, { at: number; users: readonly string[] }>();
  private readonly groups: string[];

  constructor(
    private readonly client: WebClient,
    principals: readonly (Principals | undefined)[],
    private readonly log: Log,
    private readonly now: () => number = Date.now,
  ) {
    this.groups = [...new Set(principals.flatMap((p) => p?.groups ?? []))].filter((g) => g !== '*');
  }

  async groupsOf(userId: string): Promise<string[]> {
    const member = await Promise.all(
      this.groups.map(async (g) => ((await this.members(g)).includes(userId) ? [g] : [])),
    );
    return member.flat();
  }

  private async members(group: string): Promise<readonly string[]> {
    const hit = this.cache.get(group);
    if (hit && this.now() - hit.at < CACHE_MS) return hit.users;
    let users: readonly string[] = [];
    try {
      users = (await this.client.usergroups.users.list({ usergroup: group })).users ?? [];
    } catch (err) {
      this.log.warn({ group, err: String(err) }, 'user group membership unavailable');
    }
    this.cache.set(group, { at: this.now(), users });
    return users;
  }
}
