import type { WebClient } from '@slack/web-api';
import type { Principals } from '../domain/Policy';
import type { Log } from '../domain/Log';
import { PortbotError } from '../domain/PortbotError';

/** Group membership changes rarely; a short cache keeps a burst of clicks to one call a group. */
const CACHE_MS = 60_000;

/**
 * Which of the policy's user groups a user belongs to, via usergroups.users.list (one call per
 * group named in the policy, cached briefly). A group Slack will not list (no usergroups:read
 * scope, Slack failing) is never assumed: membership through it is refused until Slack answers.
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

  /**
   * The policy groups `userId` is in. A group Slack failed to list is not cached (the next click
   * asks again) and makes this throw PortbotError SLACK_API: the caller decides, failing closed,
   * and can say that membership could not be checked rather than that the user is not a member.
   */
  async groupsOf(userId: string): Promise<string[]> {
    const listed = await Promise.all(
      this.groups.map(async (g) => [g, await this.members(g)] as const),
    );
    if (listed.some(([, users]) => users === null)) {
      throw new PortbotError('SLACK_API', 'user group membership could not be checked', {
        userFacing: true,
      });
    }
    return listed.filter(([, users]) => users?.includes(userId)).map(([g]) => g);
  }

  private async members(group: string): Promise<readonly string[] | null> {
    const hit = this.cache.get(group);
    if (hit && this.now() - hit.at < CACHE_MS) return hit.users;
    try {
      const users = (await this.client.usergroups.users.list({ usergroup: group })).users ?? [];
      this.cache.set(group, { at: this.now(), users });
      return users;
    } catch (err) {
      this.log.warn({ group, err: String(err) }, 'user group membership unavailable');
      return null;
    }
  }
}
