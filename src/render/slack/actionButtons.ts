import type { Action, Diagnosis } from '../../domain/diagnosis';
import { ACTION_KINDS, type ActionKind } from '../../domain/verdict';
import type { ActionsBlock, Block, ButtonElement } from './blockKitTypes';
import { context, plainText } from './blocks';
import { escapeMrkdwn } from './escapeMrkdwn';
import { SLACK_LIMITS } from './slackLimits';

/** Buttons' action_id is `portbot:action:<kind>` (`:<n>` added when a kind repeats). */
export const ACTION_ID_PREFIX = 'portbot:action:';

/** The action_id of the n-th button of a kind (1-based). */
export function encodeActionButtonId(kind: ActionKind, n: number): string {
  return `${ACTION_ID_PREFIX}${kind}${n > 1 ? `:${n}` : ''}`;
}

/** The kind and position an action_id was built from; null for any other id. */
export function decodeActionButtonId(actionId: string): { kind: ActionKind; n: number } | null {
  if (!actionId.startsWith(ACTION_ID_PREFIX)) return null;
  const [kindText = '', nText, ...extra] = actionId.slice(ACTION_ID_PREFIX.length).split(':');
  const kind = ACTION_KINDS.find((k) => k === kindText);
  if (kind === undefined || extra.length > 0) return null;
  if (nText === undefined) return { kind, n: 1 };
  const n = Number(nText);
  return /^[1-9][0-9]*$/.test(nText) && n > 1 ? { kind, n } : null;
}

/** What a button carries back to the handler: enough to find the incident and re-check the pid. */
export interface ActionButtonValue {
  incidentId: string;
  kind: ActionKind;
  host: string;
  port: number;
  pid: number | null;
  startTicks: number | null;
}

/** Kinds that become buttons; `advice` stays text because there is nothing for portbot to run. */
const BUTTON_KINDS: readonly ActionKind[] = [
  'kill-occupant',
  'restart-lb',
  'reload-lb',
  'reserve-port',
  'escalate-security',
  'escalate-owner',
];

export function isButtonAction(a: Action): boolean {
  return BUTTON_KINDS.includes(a.kind);
}

/**
 * The actions block for the recommended actions, labelled as needing approval because no button
 * runs anything by itself. Empty when there is nothing to press.
 */
export function actionButtons(d: Diagnosis, incidentId: string): Block[] {
  const seen = new Map<string, number>();
  const buttons: ButtonElement[] = [];
  let omitted = 0;
  for (const action of d.actions.filter(isButtonAction)) {
    const n = (seen.get(action.kind) ?? 0) + 1;
    seen.set(action.kind, n);
    const actionId = encodeActionButtonId(action.kind, n);
    const value: ActionButtonValue = {
      incidentId,
      kind: action.kind,
      host: d.host,
      port: d.port,
      pid: d.occupant?.pid ?? null,
      startTicks: d.occupant?.startTicks ?? null,
    };
    const json = JSON.stringify(value);
    // A value Slack would reject cannot be shortened without breaking it: leave the button out.
    if (
      json.length > SLACK_LIMITS.buttonValueChars ||
      actionId.length > SLACK_LIMITS.actionIdChars
    ) {
      omitted += 1;
      continue;
    }
    buttons.push(button(action, actionId, json, d.host));
  }
  if (buttons.length === 0 && omitted === 0) return [];
  const shown = buttons.slice(0, SLACK_LIMITS.actionsElements);
  omitted += buttons.length - shown.length;
  const blocks: Block[] = [];
  if (shown.length > 0) blocks.push({ type: 'actions', elements: shown } satisfies ActionsBlock);
  const notes = [
    '🔒 Each button asks for approval first; nothing runs on the host until an approver confirms.',
  ];
  if (omitted > 0)
    notes.push(`${omitted} action(s) could not be offered as buttons; see the list above.`);
  blocks.push(context(...notes.map(escapeMrkdwn)));
  return blocks;
}

function button(action: Action, actionId: string, value: string, host: string): ButtonElement {
  const el: ButtonElement = {
    type: 'button',
    text: plainText(`🔒 ${action.title}`, SLACK_LIMITS.buttonTextChars),
    action_id: actionId,
    value,
  };
  if (action.kind === 'kill-occupant') {
    el.style = 'danger';
    el.confirm = {
      title: plainText('Request approval?', SLACK_LIMITS.confirmTitleChars),
      text: plainText(
        `Ask an approver to: ${action.title} on ${host}. Nothing runs until it is approved.`,
        SLACK_LIMITS.confirmTextChars,
      ),
      confirm: plainText('Request approval', SLACK_LIMITS.confirmButtonChars),
      deny: plainText('Cancel', SLACK_LIMITS.confirmButtonChars),
      style: 'danger',
    };
  }
  return el;
}
