import type { ProcessInfo } from '../../domain/ProbeResults';
import { adviceAction } from '../actions';
import type { DiagnosisContext } from '../buildContext';
import { pidAndUser } from '../describe';
import { lbStateEvidence, mergeEvidence, pickEvidence, pickProcessEvidence } from '../pickEvidence';
import { isSelfOrDescendant } from '../processTree';
import type { Rule } from '../Rule';
import { toOccupant } from '../toOccupant';

interface Upgrade {
  old: ProcessInfo;
  next: ProcessInfo;
}

/**
 * nginx's binary upgrade: SIGUSR2 makes the master exec the new binary as its own child, which
 * inherits the listening sockets; the old master's pid moves to `<pidFile>.oldbin`. Two masters,
 * one the parent of the other, occur in no other way.
 */
function findUpgrade(ctx: DiagnosisContext): Upgrade | null {
  const procs = ctx.probes.processes;
  const isMaster = (p: ProcessInfo | undefined): p is ProcessInfo =>
    p !== undefined && ctx.isLbProcess(p) && /\bmaster process\b/.test(p.cmdline ?? '');
  const oldbin = ctx.lb?.probe?.oldbinPid ?? null;
  const masters = Object.values(procs).filter((p) => isMaster(p) && isMaster(procs[p.ppid]));
  const next = masters.find((p) => p.ppid === oldbin) ?? masters[0];
  const old = next ? procs[next.ppid] : undefined;
  return next && old ? { old, next } : null;
}

export const lbBinaryUpgrade: Rule = {
  verdict: 'lb-binary-upgrade',
  evaluate(ctx) {
    if (!ctx.lb) return null;
    const upgrade = findUpgrade(ctx);
    if (!upgrade) return null;
    const { old, next } = upgrade;
    const holders = ctx.holders.filter((h) =>
      isSelfOrDescendant(h.pid, old.pid, ctx.probes.processes),
    );
    const first = holders[0];
    if (!first) return null;
    const occupant = toOccupant({ ...first, pid: old.pid, comm: old.comm, proc: old }, ctx.probes);
    const { kind, pidFile } = ctx.lb.runbook;
    const oldbin = ctx.lb.probe?.oldbinPid === old.pid ? ` (${pidFile}.oldbin names it)` : '';
    return {
      verdict: 'lb-binary-upgrade',
      summary:
        `port ${ctx.port}: ${kind} binary upgrade in progress — the old master (${pidAndUser(occupant)})${oldbin} ` +
        `and the new master (pid ${next.pid}) both hold the listening sockets; not a stale instance: finish or roll back the upgrade`,
      occupant,
      evidence: mergeEvidence(
        pickEvidence(
          ctx.probes,
          holders.map((h) => h.socket.raw),
        ),
        pickProcessEvidence(ctx.probes, [old.pid, next.pid]),
        lbStateEvidence(ctx.probes),
        pickEvidence(ctx.probes, [`oldbin=${old.pid}`]),
      ),
      // Advice, no kill button: stopping the wrong master aborts the upgrade the other way.
      actions: [
        adviceAction(
          `Finish the upgrade: retire the old ${kind} master (pid ${old.pid})`,
          `Once the new master (pid ${next.pid}) and its workers answer requests: kill -WINCH ${old.pid} ` +
            `(its workers finish their requests and exit), then kill -QUIT ${old.pid}; ${pidFile} then names ${next.pid} alone.`,
        ),
        adviceAction(
          `Roll back the upgrade: keep the old ${kind} master (pid ${old.pid})`,
          `kill -HUP ${old.pid} (starts its workers again, old binary and config), then kill -QUIT ${next.pid}; ` +
            `${kind} moves ${pidFile}.oldbin back to ${pidFile}.`,
        ),
      ],
    };
  },
};
