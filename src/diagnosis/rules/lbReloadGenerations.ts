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

/** "pid 27, 34" for one group of processes, or nothing when the group is empty. */
function pidList(holders: readonly Holder[]): string {
  return holders.map((h) => h.pid).join(', ');
}

export const lbReloadGenerations: Rule = {
  verdict: 'lb-reload-generations',
  evaluate(ctx) {
    if (!ctx.lb || !ctx.lbState?.listening || ctx.lb.managedPid === null) return null;
    const managed = ctx.probes.processes[ctx.lb.managedPid];
    if (!managed) return null;
    const others = generations(ctx, managed);
    // A reload's process started after the managed one is not an old generation: the pid file
    // most likely still names the process that reload should have replaced. Which of the two
    // serves the current configuration is the operator's call, so no kill is offered for it.
    const older = others.filter((h) => (h.proc?.startTicks ?? Infinity) < managed.startTicks);
    const newer = others.filter((h) => !older.includes(h));
    const first = older[0] ?? newer[0];
    if (!first) return null;
    const occupant = toOccupant(first, ctx.probes);
    const { kind, pidFile } = ctx.lb.runbook;
    const oldPart =
      older.length > 0
        ? `${older.length} old ${kind} process${older.length > 1 ? 'es' : ''} from earlier reloads (pid ${pidList(older)})`
        : '';
    const newPart =
      newer.length > 0
        ? `${newer.length} ${kind} process${newer.length > 1 ? 'es' : ''} started by a later reload (pid ${pidList(newer)}; ${pidFile} was not updated?)`
        : '';
    const listenBeside = older.length + newer.length > 1 ? 'listen' : 'listens';
    const pids = older.map((h) => h.pid);
    const rest = pids.slice(1);
    return {
      verdict: 'lb-reload-generations',
      summary:
        `port ${ctx.port}: ${[oldPart, newPart].filter(Boolean).join(' and ')} still ${listenBeside} beside the managed ` +
        `${kind} (pid ${managed.pid}), so part of the new connections get another configuration; ` +
        `${older.length > 0 ? 'the oldest' : 'the newer one'} is ${pidAndUser(occupant)}`,
      occupant,
      evidence: mergeEvidence(
        pickEvidence(ctx.probes, [
          ...others.map((h) => h.socket.raw),
          ...ctx.holders.filter((h) => ctx.isManaged(h.pid)).map((h) => h.socket.raw),
        ]),
        pickProcessEvidence(ctx.probes, [...others.map((h) => h.pid), managed.pid]),
        lbStateEvidence(ctx.probes),
      ),
      actions: compact([
        older.length > 0
          ? killOccupantAction(
              occupant,
              ctx,
              `the managed ${kind} (pid ${managed.pid}) keeps serving; graceful: kill -USR1 ${pids.join(' ')}` +
                (rest.length > 0 ? ` (pid ${rest.join(', ')} too)` : ''),
            )
          : null,
        newer.length > 0
          ? adviceAction(
              `Find out which ${kind} serves the current configuration`,
              `pid ${pidList(newer)} was started by a reload after the managed ${kind} (pid ${managed.pid}, from ${pidFile}): ` +
                `the reload's pid file write most likely failed. Compare their start times and configuration with what ` +
                `you deployed, point ${pidFile} at the one to keep, then stop the other gracefully (kill -USR1).`,
            )
          : null,
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
