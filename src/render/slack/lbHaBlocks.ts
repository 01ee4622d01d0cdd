import type { Diagnosis } from '../../domain/diagnosis';
import type { Block } from './blockKitTypes';
import { fieldsSection } from './blocks';
import { escapeMrkdwn, inlineCode } from './escapeMrkdwn';

/** The managed LB's state and the node's HA role, side by side; nothing when neither is known. */
export function lbHaBlocks(d: Diagnosis): Block[] {
  const fields: string[] = [];
  if (d.lb) {
    const state = d.lb.running ? `running (pid ${d.lb.pid ?? '?'})` : 'not running';
    const listening = d.lb.listening ? `listening on ${d.port}` : `not listening on ${d.port}`;
    fields.push(
      `*Load balancer*\n${inlineCode(d.lb.kind, 60)} ${escapeMrkdwn(`${state}, ${listening}`)}`,
    );
  }
  if (d.ha) {
    const vip = d.ha.holdsVip ? 'holds' : 'does not hold';
    fields.push(
      `*HA role*\n*${escapeMrkdwn(d.ha.role)}* in ${inlineCode(d.ha.group, 100)}: ${vip} VIP ${inlineCode(d.ha.vip, 100)}`,
    );
  }
  return fields.length > 0 ? [fieldsSection(fields)] : [];
}
