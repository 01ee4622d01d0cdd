import type { Policy } from '../domain/Policy';
import type { Log } from '../domain/Log';
import type { PageRoutes } from '../http/PageRoutes';
import type { LocalSlack } from '../localSlack/startLocalSlack';
import { LocalWorkspace } from './LocalWorkspace';
import { workspaceRoutes } from './workspaceRoutes';
import { workspaceGroups, workspaceUsers } from './view/workspaceUsers';

/**
 * Local mode's workspace page for `portbot serve`: the users and user groups the policy names
 * seeded into the local Slack, the alert channel (and any channel the policy names for /port)
 * listed.
 */
export function localWorkspacePage(o: {
  slack: LocalSlack;
  policy: Policy;
  alertChannel: string;
  signingSecret: string;
  log: Log;
}): PageRoutes {
  const named = o.policy.commands.channels.filter((c) => c !== '*' && c !== o.alertChannel);
  const workspace = new LocalWorkspace({
    slack: o.slack,
    signingSecret: o.signingSecret,
    users: workspaceUsers(o.policy),
    userGroups: workspaceGroups(o.policy),
    channels: [
      { id: o.alertChannel, name: 'alerts' },
      ...named.map((id) => ({ id, name: id.toLowerCase() })),
    ],
    log: o.log,
  });
  return workspaceRoutes(workspace, { log: o.log });
}
