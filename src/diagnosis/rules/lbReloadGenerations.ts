import type { ProcessInfo } from '../../domain/ProbeResults';
import { adviceAction, compact, killOccupantAction } from '../actions';
import type { DiagnosisContext, Holder } from '../buildContext';
import { pidAndUser } from '../describe';
import { lbStateEvidence, mergeEvidence, pickEvidence, pickProcessEvidence } from '../pickEvidence';
import type { Rule } from '../Rule';
import { toOccupant } from '../toOccupant';

/** HAProxy's reload options: -sf/-st name the old pids to stop, -x takes over their sockets. */
const RELOAD_FLAG = /(^|\s)-(sf|st|x)(\s|$)/;

function fromReload(p: ProcessInfo | null): boolean {
  return RELOAD_FLAG.test(p?.cmdline ?? '');
}

/**
 * An LB process outside the managed instance that a reload left behind: it was itself started
 * by a reload, or it is older than a managed instance that was. Either way the reload that
 * should have stopped it (SIGUSR1 to the pids given after -sf) did not reach it.
 */
function generations(ctx: DiagnosisContext, managed: ProcessInfo): Holder[] {
  return ctx.holders
    .filter((h) => h.proc !== null && ctx.isLbProgram(h) && !ctx.isManaged(h.pid))
    .filter(
      (h) =>
        fromReload(h.proc) ||
        (fromReload(managed) && (h.proc?.startTicks ?? Infinity) < managed.startTicks),
    )
    .sort((a, b) => (a.proc?.startTicks ?? 0) - (b.proc?.startTicks ?? 0));
}

export const lbReloadGenerations: Rule = {
  verdict: 'lb-reload-generations',
  evaluate(ctx) {
    if (!ctx.lb || !ctx.lbState?.listening || ctx.lb.managedPid === null) return null;
    const managed = ctx.probes.processes[ctx.lb.managedPid];
    if (!managed) return null;
    const old = generations(ctx, managed);
    const oldest = old[0];
    if (!oldest) return null;
    const occupant = toOccupant(oldest, ctx.probes);
    const { kind, pidFile } = ctx.lb.runbook;
    const pids = old.map((h) => h.pid);
    const others = pids.slice(1);
    return {
      verdict: 'lb-reload-generations',
      summary:
        `port ${ctx.port}: ${old.length} old ${kind} process${old.length > 1 ? 'es' : ''} from earlier reloads ` +
        `(pid ${pids.join(', ')}) still listen beside the managed ${kind} (pid ${managed.pid}), so part of the new ` +
        `connections get an old configuration; the oldest is ${pidAndUser(occupant)}`,
      occupant,
      evidence: mergeEvidence(
        pickEvidence(ctx.probes, [
          ...old.map((h) => h.socket.raw),
          ...ctx.holders.filter((h) => ctx.isManaged(h.pid)).map((h) => h.socket.raw),
        ]),
        pickProcessEvidence(ctx.probes, [...pids, managed.pid]),
        lbStateEvidence(ctx.probes),
      ),
      actions: compact([
        killOccupantAction(
          occupant,
          ctx,
          `the managed ${kind} (pid ${managed.pid}) keeps serving; graceful: kill -USR1 ${pids.join(' ')}` +
            (others.length > 0 ? ` (pid ${others.join(', ')} too)` : ''),
        ),
        adviceAction(
          `Make ${kind} reloads stop every old process`,
          `A reload signals only the pids it is given (-sf $(cat ${pidFile})); a missing or overwritten ${pidFile} leaves ` +
            `the old processes listening beside the new one. Reload through the master-worker mode (-W, or -Ws under systemd), ` +
            `which tracks its workers itself, and keep ${pidFile} where nothing else removes it.`,
        ),
      ]),
    };
  },
};
