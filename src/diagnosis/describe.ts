import type { Occupant } from '../domain/diagnosis';
import type { DiagnosisContext } from './buildContext';

/** `python3 (pid 4123, user root)`. */
export function describeOccupant(o: Occupant): string {
  return `${o.comm} (${pidAndUser(o)})`;
}

/** `pid 4123, user root`; `uid 1001` when the name is unknown. */
export function pidAndUser(o: Occupant): string {
  const who = o.user !== null ? `user ${o.user}` : o.uid !== null ? `uid ${o.uid}` : 'user unknown';
  return `pid ${o.pid}, ${who}`;
}

/** The LB clause that ends a summary: `nginx is not running`, `nginx (pid 900) is running`. */
export function describeLb(ctx: DiagnosisContext): string | null {
  if (!ctx.lb || !ctx.lbState) return null;
  const kind = ctx.lb.runbook.kind;
  if (!ctx.lbState.running) return `${kind} is not running`;
  return `${kind} (pid ${ctx.lbState.pid ?? '?'}) is running${ctx.lbState.listening ? '' : ` but not on port ${ctx.port}`}`;
}

export function withLb(sentence: string, ctx: DiagnosisContext): string {
  const lb = describeLb(ctx);
  return lb ? `${sentence} — ${lb}` : sentence;
}
