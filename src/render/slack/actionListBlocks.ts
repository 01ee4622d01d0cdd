import type { Diagnosis } from '../../domain/diagnosis';
import type { Block } from './blockKitTypes';
import { isButtonAction } from './actionButtons';
import { section } from './blocks';
import { escapeMrkdwn, inlineCode } from './escapeMrkdwn';
import { clip } from './truncateText';

const ACTIONS_CHARS = 2000;
const DETAIL_CHARS = 900;

/** "What to do": every action as text (advice has no button, and button labels get cut). */
export function actionListBlocks(d: Diagnosis): Block[] {
  if (d.actions.length === 0) return [section(`*What to do*\n${nothingToDo(d)}`)];
  const lines = d.actions.map((a) => {
    const icon = isButtonAction(a) ? '🔒' : '💡';
    const risk = a.risk === 'none' ? '' : ` _(risk: ${a.risk})_`;
    const head = `${icon} *${escapeMrkdwn(clip(a.title, 300))}*${risk}`;
    if (!a.detail) return head;
    const detail = clip(a.detail, DETAIL_CHARS);
    return `${head}\n      ${escapeMrkdwn(detail).replace(/\n/g, '\n      ')}`;
  });
  return [section(`*What to do*\n${lines.join('\n')}`, ACTIONS_CHARS, 'all actions: `--json`')];
}

/** Already mrkdwn: the host name is escaped inside. */
function nothingToDo(d: Diagnosis): string {
  switch (d.verdict) {
    case 'healthy':
      return `Nothing: the managed load balancer serves port ${d.port}.`;
    case 'unreachable':
      return (
        `Fix SSH access to ${inlineCode(d.host, 100)} first (network, sshd, credentials or host key, ` +
        `as the finding says), then check again: ${inlineCode(`/port check ${d.host} ${d.port}`, 200)}`
      );
    default:
      return 'No action is suggested; read the findings and the evidence in the thread.';
  }
}
