import type { Diagnosis, Occupant } from '../../domain/diagnosis';
import type { Block, SectionBlock } from './blockKitTypes';
import { mrkdwn, section } from './blocks';
import { escapeMrkdwn, inlineCode } from './escapeMrkdwn';
import { SLACK_LIMITS } from './slackLimits';

const FIELD_VALUE_CHARS = 150;
const COMMAND_CHARS = 500;

/** "Who holds port N": pid, user, command, start time, unit or container, socket, executable. */
export function occupantBlocks(d: Diagnosis): Block[] {
  const title = `*Who holds port ${d.port}*`;
  const o = d.occupant;
  if (!o) return [section(`${title}\n${escapeMrkdwn(noOccupantText(d))}`)];
  const command = o.cmdline ? inlineCode(o.cmdline, COMMAND_CHARS) : '_command line not readable_';
  const block: SectionBlock = {
    type: 'section',
    text: mrkdwn(`${title}\n${command}`, SLACK_LIMITS.sectionTextChars),
    fields: occupantFields(o).map((f) => mrkdwn(f, SLACK_LIMITS.sectionFieldChars)),
  };
  return [block];
}

function occupantFields(o: Occupant): string[] {
  const value = (v: string): string => inlineCode(v, FIELD_VALUE_CHARS);
  const user = o.user ?? (o.uid !== null ? `uid ${o.uid}` : null);
  const fields = [
    `*Process*\n${value(o.comm)} pid ${o.pid}`,
    `*User*\n${user !== null ? value(user) : '_unknown_'}`,
    `*Started*\n${o.startedAt !== null ? escapeMrkdwn(o.startedAt) : '_unknown_'}`,
    `*Parent pid*\n${o.ppid ?? '_unknown_'}`,
    `*Socket*\n${value(`${o.socketState} ${o.localAddress}`)}`,
    `*Unit / container*\n${unitOrContainer(o, value)}`,
  ];
  if (o.exe !== null) fields.push(`*Executable*\n${value(o.exe)}`);
  return fields;
}

function unitOrContainer(o: Occupant, value: (v: string) => string): string {
  const parts: string[] = [];
  if (o.unit !== null) parts.push(`unit ${value(o.unit)}`);
  if (o.container !== null) parts.push(`container ${value(o.container)}`);
  return parts.length > 0 ? parts.join(', ') : '_none found_';
}

function noOccupantText(d: Diagnosis): string {
  switch (d.verdict) {
    case 'ephemeral-port-collision':
      return 'A connection uses the port, but its owner is not visible (another PID namespace, or no privilege to see it).';
    case 'time-wait-only':
      return 'No process: only TIME-WAIT sockets, which the kernel owns and expires.';
    default:
      return 'No process holds it.';
  }
}
