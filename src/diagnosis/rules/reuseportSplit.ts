import { adviceAction, compact, killOccupantAction } from '../actions';
import type { DiagnosisContext, Holder } from '../buildContext';
import { describeOccupant } from '../describe';
import { mergeEvidence, pickEvidence, pickProcessEvidence } from '../pickEvidence';
import type { Rule } from '../Rule';
import { toOccupant } from '../toOccupant';

/** `0.0.0.0:80` → `0.0.0.0`, `[::]:80` → `::`, `*:80` → `*` (a device suffix `%eth0` is kept). */
function hostPart(address: string): string {
  return address.slice(0, address.lastIndexOf(':')).replace(/^\[(.*)\]$/, '$1');
}

const WILDCARDS = new Set(['0.0.0.0', '::', '*']);

/**
 * Whether two listening sockets cover the same address. On Linux a second listener on an
 * address another socket already listens on (the same one, or the wildcard of its family) can
 * only bind when both set SO_REUSEPORT; `*` is a dual-stack socket and covers both families.
 */
export function sameBind(a: string, b: string): boolean {
  const x = hostPart(a);
  const y = hostPart(b);
  if (x === y) return true;
  if (x === '*' || y === '*') return true;
  const v6 = (h: string): boolean => h.includes(':');
  return v6(x) === v6(y) && (WILDCARDS.has(x) || WILDCARDS.has(y));
}

function coBinder(ctx: DiagnosisContext): { foreign: Holder; lb: Holder } | null {
  const managed = ctx.holders.filter((h) => ctx.isManaged(h.pid));
  for (const foreign of ctx.holders) {
    if (ctx.isManaged(foreign.pid) || (ctx.lb && ctx.isLbProgram(foreign))) continue;
    // A separate socket (its own ss line), not one the LB handed down.
    const lb = managed.find(
      (m) =>
        m.socket.raw !== foreign.socket.raw &&
        sameBind(m.socket.localAddress, foreign.socket.localAddress),
    );
    if (lb) return { foreign, lb };
  }
  return null;
}

/**
 * The managed LB listens, and another program listens on the same address:port through its own
 * socket: both set SO_REUSEPORT, and the kernel spreads new connections over the group, so the
 * LB gets only its share. Unlike foreign-listener the LB is up, and restarting it changes nothing.
 */
export const reuseportSplit: Rule = {
  verdict: 'reuseport-split',
  evaluate(ctx) {
    if (!ctx.lb || !ctx.lbState?.listening) return null;
    const pair = coBinder(ctx);
    if (!pair) return null;
    const { foreign, lb } = pair;
    const occupant = toOccupant(foreign, ctx.probes);
    const kind = ctx.lb.runbook.kind;
    const lbPid = ctx.lb.managedPid ?? lb.pid;
    const sharers = ctx.holders.filter((h) => !ctx.isManaged(h.pid) && h.pid !== foreign.pid);
    return {
      verdict: 'reuseport-split',
      summary:
        `port ${ctx.port} is split: ${describeOccupant(occupant)} listens on ${foreign.socket.localAddress} beside the managed ` +
        `${kind} (pid ${lbPid}) on ${lb.socket.localAddress} (SO_REUSEPORT), so the kernel hands it part of the new connections`,
      occupant,
      evidence: mergeEvidence(
        pickEvidence(ctx.probes, [foreign.socket.raw, lb.socket.raw]),
        pickProcessEvidence(ctx.probes, [foreign.pid]),
      ),
      actions: compact([
        killOccupantAction(
          occupant,
          ctx,
          `${kind} keeps listening: once it is gone every new connection goes to ${kind}` +
            (sharers.length > 0
              ? `; ${sharers.map((h) => `${h.comm} (pid ${h.pid})`).join(', ')} also listen`
              : ''),
        ),
        adviceAction(
          `Keep other programs out of ${kind}'s port ${ctx.port}`,
          `${occupant.comm} set SO_REUSEPORT on port ${ctx.port}: find the option or config that made it bind there and move it. ` +
            `The kernel lets only sockets of the same effective user join a SO_REUSEPORT group, so a program that runs as ` +
            `${occupant.user ?? `uid ${occupant.uid ?? '?'}`} beside ${kind} can do this; ${kind}'s reuseport (HAProxy sets it by default) is what allows it.`,
        ),
      ]),
    };
  },
};
