import type { ProcessInfo } from '../../domain/ProbeResults';
import { adviceAction, compact, killOccupantAction, restartLbAction } from '../actions';
import { basename, type DiagnosisContext, type Holder } from '../buildContext';
import { pidAndUser } from '../describe';
import { lbStateEvidence, mergeEvidence, pickEvidence, pickProcessEvidence } from '../pickEvidence';
import { ancestorsOf } from '../processTree';
import type { Rule } from '../Rule';
import { toOccupant } from '../toOccupant';

/**
 * The process to name and stop: the topmost process of the LB's program above the holder (an
 * orphaned master rather than one of its workers), since stopping it takes its workers along.
 */
function topInstance(ctx: DiagnosisContext, holder: Holder): ProcessInfo | null {
  const programs = new Set(ctx.lb?.runbook.programs ?? []);
  const isProgram = (p: ProcessInfo): boolean =>
    programs.has(p.comm) || (p.exe !== null && programs.has(basename(p.exe)));
  let top = holder.proc && isProgram(holder.proc) ? holder.proc : null;
  for (const a of ancestorsOf(holder.pid, ctx.probes.processes)) if (isProgram(a)) top = a;
  return top;
}

/** Let the stale instance finish in-flight requests before it goes. */
function gracefulStop(kind: string, pid: number): string {
  if (kind === 'nginx') return ` (graceful: kill -QUIT ${pid})`;
  if (kind === 'haproxy') return ` (graceful: kill -USR1 ${pid})`;
  return '';
}

export const staleLbInstance: Rule = {
  verdict: 'stale-lb-instance',
  evaluate(ctx) {
    if (!ctx.lb) return null;
    const holder = ctx.holders.find((h) => ctx.isLbProgram(h) && !ctx.isManaged(h.pid));
    if (!holder) return null;
    const top = topInstance(ctx, holder);
    const occupant = toOccupant(
      top && top.pid !== holder.pid
        ? { ...holder, pid: top.pid, comm: top.comm, proc: top }
        : holder,
      ctx.probes,
    );
    const { kind, pidFile } = ctx.lb.runbook;
    const managed = ctx.lb.managedPid;
    const managedUnknown = ctx.probes.missing.some((m) => m.code === 'managed-pid-unknown');
    const tail =
      managed !== null
        ? `the managed ${kind} is pid ${managed}`
        : `${kind} is not running as managed (no live pid in ${pidFile}${ctx.probes.systemd ? ' or systemd' : ''})`;
    return {
      verdict: 'stale-lb-instance',
      summary: `port ${ctx.port} is held by a stale ${kind} instance (${pidAndUser(occupant)}), not the managed one — ${tail}`,
      occupant,
      evidence: mergeEvidence(
        pickEvidence(ctx.probes, [holder.socket.raw]),
        pickProcessEvidence(ctx.probes, [...new Set([occupant.pid, holder.pid])]),
        lbStateEvidence(ctx.probes),
      ),
      // Unknown is not "not managed": without the pid file this may be the real LB, so no kill.
      actions: compact([
        managedUnknown
          ? adviceAction(
              `Find out which ${kind} is managed before stopping anything`,
              `${pidFile} could not be read; check it as root (or give the diagnostic user sudo for it) and diagnose again`,
            )
          : killOccupantAction(
              occupant,
              ctx,
              `${managed !== null ? `the managed ${kind} is pid ${managed}` : `${pidFile} names no live process`}; stopping this master takes its workers along${gracefulStop(kind, occupant.pid)}`,
            ),
        managedUnknown ? null : restartLbAction(ctx),
      ]),
    };
  },
};
