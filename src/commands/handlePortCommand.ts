import type { RecordAudit } from '../audit/recordAudit';
import { allowHostCheck, HOST_CHECK_LIMITED } from './allowHostCheck';
import type { Policy } from '../config/PolicySchema';
import { findGroup, findHost } from '../domain/findHost';
import type { HostConfig, Inventory } from '../domain/HostConfig';
import type { Log } from '../domain/Log';
import { isPortbotError } from '../domain/PortbotError';
import type { IncidentStore } from '../incidents/Incident';
import { parsePortCommand } from '../ingress/slashCommand/parsePortCommand';
import { mayRunCommand } from '../policy/mayRunCommand';
import type { JobQueue } from '../queue/JobQueue';
import type { SlackMessage } from '../render/slack/blockKitTypes';
import { renderError } from '../render/slack/renderError';
import { renderHelp } from '../render/slack/renderHelp';
import { renderNotice } from '../render/slack/renderNotice';

export interface PortCommandDeps {
  policy: Policy;
  inventory: Inventory;
  incidents: IncidentStore;
  queue: JobQueue;
  now: () => number;
  log: Log;
  audit: RecordAudit;
  /** Text for `/port status`. */
  status: () => Promise<string>;
}

export interface PortCommandRequest {
  text: string;
  userId: string;
  channelId: string;
}

/**
 * What to answer within Slack's 3 s (`reply`, ephemeral) and what to do after the ack
 * (`afterAck`: queue work, or a slower ephemeral answer). Refusals queue nothing.
 */
export interface PortCommandPlan {
  reply?: SlackMessage;
  afterAck?: () => Promise<SlackMessage | undefined>;
}

const FLEET_CHECK_COOLDOWN_MS = 30_000;

const REFUSAL = renderError(
  "Sorry, you can't run /port here.",
  'Ask your portbot admin to add you (or this channel) to commands in the policy.',
);

export function handlePortCommand(deps: PortCommandDeps, req: PortCommandRequest): PortCommandPlan {
  if (!mayRunCommand(deps.policy, req.userId, req.channelId)) {
    return refuse(deps, req, 'not allowed by the policy', REFUSAL);
  }
  const parsed = parsePortCommand(req.text);
  if (!parsed.ok) return refuse(deps, req, parsed.error, renderError(parsed.error, parsed.hint));
  const cmd = parsed.command;
  if (cmd.kind === 'help') return { reply: renderHelp() };
  if (cmd.kind === 'status') return { afterAck: async () => renderNotice(await deps.status()) };
  let hosts: HostConfig[];
  try {
    hosts =
      cmd.kind === 'check-host'
        ? [findHost(deps.inventory, cmd.host)]
        : cmd.kind === 'check-group'
          ? findGroup(deps.inventory, cmd.group).members.map((m) => findHost(deps.inventory, m))
          : deps.inventory.hosts;
  } catch (err) {
    if (isPortbotError(err) && err.userFacing)
      return refuse(
        deps,
        req,
        err.message,
        renderError(err.message, 'Run `/port help` for usage.'),
      );
    throw err;
  }
  const port = cmd.port;
  return {
    afterAck: async () => {
      if (cmd.kind !== 'check-host') {
        const scope = cmd.kind === 'check-group' ? `group:${cmd.group}` : 'all';
        // A fleet check opens an SSH session per host: one per person per cooldown, whatever
        // the policy allows, so a repeated or scripted command cannot hammer the fleet.
        if (
          !(await deps.incidents.claimOnce(`fleet-check:${req.userId}`, FLEET_CHECK_COOLDOWN_MS))
        ) {
          const reason = `a fleet check (group or all) runs at most once every ${FLEET_CHECK_COOLDOWN_MS / 1000} s per person`;
          await deps.audit({
            type: 'command.refused',
            actor: req.userId,
            incidentId: null,
            host: scope,
            port,
            detail: { channel: req.channelId, text: req.text.slice(0, 300), reason },
          });
          return renderError(
            `Not now: ${reason}.`,
            'Check single hosts meanwhile: /port check <host> <port>',
          );
        }
        const check = await deps.incidents.openCheck({
          host: scope,
          port,
          channel: req.channelId,
          summary: `/port ${req.text.slice(0, 200)}`,
          requestedBy: req.userId,
          now: deps.now(),
        });
        await deps.queue.enqueueGroupDiagnose(
          check.id,
          hosts.map((h) => h.name),
        );
        await deps.audit({
          type: 'command.run',
          actor: req.userId,
          incidentId: check.id,
          host: scope,
          port,
          detail: { channel: req.channelId, text: req.text.slice(0, 300), hosts: hosts.length },
        });
        return undefined;
      }
      if (!(await allowHostCheck(deps, req, cmd.host, port))) return HOST_CHECK_LIMITED;
      for (const host of hosts) {
        const check = await deps.incidents.openCheck({
          host: host.name,
          port,
          channel: req.channelId,
          summary: `/port ${req.text.slice(0, 200)}`,
          requestedBy: req.userId,
          now: deps.now(),
        });
        await deps.queue.enqueueDiagnose(check.id, { first: true });
        await deps.audit({
          type: 'command.run',
          actor: req.userId,
          incidentId: check.id,
          host: host.name,
          port,
          detail: { channel: req.channelId, text: req.text.slice(0, 300) },
        });
        deps.log.info(
          { checkId: check.id, host: host.name, port, user: req.userId },
          'check queued',
        );
      }
      return undefined;
    },
  };
}

/** A refusal answers at once; its audit entry is written in the background (it never throws). */
function refuse(
  deps: PortCommandDeps,
  req: PortCommandRequest,
  reason: string,
  reply: SlackMessage,
): PortCommandPlan {
  void deps.audit({
    type: 'command.refused',
    actor: req.userId,
    incidentId: null,
    host: null,
    port: null,
    detail: { channel: req.channelId, text: req.text.slice(0, 300), reason: reason.slice(0, 300) },
  });
  return { reply };
}
