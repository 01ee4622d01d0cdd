import type { SlackMessage } from './blockKitTypes';
import { context, section } from './blocks';
import { escapeMrkdwn } from './escapeMrkdwn';

const COMMANDS: readonly (readonly [string, string])[] = [
  ['/port check <host> <port>', 'who holds the port on one host, and why'],
  ['/port check group:<name> <port>', 'the same for every member of an HA group, in parallel'],
  ['/port check all <port>', 'every host in the inventory, summarised'],
  ['/port sweep [group:<name>]', 'latent port conflicts on every host (or a group): one digest'],
  ['/port status', 'open incidents and queued diagnoses'],
  ['/port audit export [--since 7d]', 'the audit log as a file in your DM with portbot (auditors)'],
  ['/port help', 'this list'],
];

/** `/port help`: the commands, with the argument forms the parser accepts. */
export function renderHelp(): SlackMessage {
  const lines = COMMANDS.map(([cmd, what]) => `• \`${escapeMrkdwn(cmd)}\` ${what}`);
  return {
    text: 'portbot commands: /port check, /port sweep, /port status, /port audit export, /port help',
    blocks: [
      section(`*portbot* finds out what holds a load-balancer port and why.\n${lines.join('\n')}`),
      context(
        'Hosts and groups are names from the inventory; ports are 1–65535. Diagnoses are read-only; fixes need approval.',
      ),
    ],
  };
}
