import type { Policy } from '../domain/Policy';

/** Whether this user, in this channel, may run /port (docs/reference/policy.md, `commands`). */
export function mayRunCommand(policy: Policy, userId: string, channelId: string): boolean {
  const { users, channels } = policy.commands;
  return (
    (users.includes('*') || users.includes(userId)) &&
    (channels.includes('*') || channels.includes(channelId))
  );
}
