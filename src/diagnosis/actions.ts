import type { Action, Occupant } from '../domain/diagnosis';
import type { DiagnosisContext } from './buildContext';

/** Null for a pid the probes did not describe: nothing shows what stopping it would stop. */
export function killOccupantAction(
  o: Occupant,
  ctx: DiagnosisContext,
  detail?: string,
): Action | null {
  if (!ctx.probes.processes[o.pid]) return null;
  const action: Action = {
    kind: 'kill-occupant',
    risk: 'medium',
    title: `Stop ${o.comm} (pid ${o.pid})`,
  };
  const notes = detail !== undefined ? [detail] : [];
  // Another service's process comes back under systemd: stopping that unit is the durable fix
  // (.scope units are login sessions and the like: nothing restarts them).
  if (o.unit?.endsWith('.service') && o.unit !== ctx.lb?.runbook.unit) {
    notes.push(`it belongs to ${o.unit}: stop and disable that unit, or systemd restarts it`);
  }
  if (notes.length > 0) action.detail = notes.join('; ');
  return action;
}

/** Start (LB down) or restart (LB up) the managed LB; null on hosts without an LB. */
export function restartLbAction(ctx: DiagnosisContext, suffix = ''): Action | null {
  if (!ctx.lb) return null;
  const kind = ctx.lb.runbook.kind;
  const running = ctx.lbState?.running ?? false;
  const command = running ? ctx.lb.runbook.commands.restart : ctx.lb.runbook.commands.start;
  return {
    kind: 'restart-lb',
    risk: 'medium',
    title: `${running ? 'Restart' : 'Start'} ${kind} on ${ctx.hostName}${suffix}`,
    detail: `${command}; then check that ${kind} listens on port ${ctx.port}`,
  };
}

export function adviceAction(title: string, detail: string): Action {
  return { kind: 'advice', risk: 'none', title, detail };
}

export function compact<T>(items: readonly (T | null)[]): T[] {
  return items.filter((x): x is T => x !== null);
}
