import type { ProcessInfo } from '../../domain/ProbeResults';
import type { Holder } from '../buildContext';
import { describeOccupant } from '../describe';
import { mergeEvidence, pickEvidence, pickProcessEvidence } from '../pickEvidence';
import type { Rule } from '../Rule';
import { toOccupant } from '../toOccupant';

const TEMP_DIRS = ['/tmp/', '/var/tmp/', '/dev/shm/'];

/** Why a process looks planted, or null: a deleted executable, or one run from a temp dir. */
export function suspicionOf(proc: ProcessInfo | null): string | null {
  if (!proc) return null;
  if (proc.exeDeleted) return `its executable ${proc.exe ?? '(unknown path)'} was deleted`;
  const dir = TEMP_DIRS.find((d) => proc.exe?.startsWith(d));
  return dir ? `its executable ${proc.exe ?? ''} lives in ${dir.slice(0, -1)}` : null;
}

export const suspiciousOccupant: Rule = {
  verdict: 'suspicious-occupant',
  evaluate(ctx) {
    const holder = ctx.holders.find((h: Holder) => suspicionOf(h.proc) !== null);
    if (!holder) return null;
    const why = suspicionOf(holder.proc) ?? '';
    const occupant = toOccupant(holder, ctx.probes);
    const pid = holder.pid;
    return {
      verdict: 'suspicious-occupant',
      summary: `port ${ctx.port} is held by ${describeOccupant(occupant)} and ${why} — keep it running and escalate to security`,
      occupant,
      evidence: mergeEvidence(
        pickEvidence(ctx.probes, [
          holder.socket.raw,
          ...(holder.proc?.exe ? [holder.proc.exe] : []),
        ]),
        pickProcessEvidence(ctx.probes, [pid]),
      ),
      // No kill button: killing destroys the memory image and open files a responder needs.
      actions: [
        {
          kind: 'escalate-security',
          risk: 'high',
          title: `Escalate to security: ${occupant.comm} (pid ${pid}) holds port ${ctx.port}, ${why}`,
          detail:
            `Do not kill it. Preserve evidence first: sha256sum /proc/${pid}/exe; cp /proc/${pid}/exe /root/pid${pid}.exe; ` +
            `tr '\\0' ' ' </proc/${pid}/cmdline; ls -l /proc/${pid}/fd; cat /proc/${pid}/maps. Drain ${ctx.hostName} from ` +
            `the pool instead. If a package upgrade replaced a packaged binary (a deleted /usr/sbin path), compare the ` +
            `hash with the package and restart the service normally.`,
        },
      ],
    };
  },
};
