import { adviceAction } from '../actions';
import type { DiagnosisContext } from '../buildContext';
import type { BindError } from '../findBindErrors';
import { mergeEvidence, pickEvidence, derivedEvidence } from '../pickEvidence';
import type { Rule } from '../Rule';

/** The LB is not listening and its latest bind failure for this port is of `kind`. */
export function latestBindFailure(
  ctx: DiagnosisContext,
  kind: BindError['kind'],
): BindError | null {
  if (!ctx.lb?.probe || ctx.lbState?.listening) return null;
  const last = ctx.lb.bindErrors.at(-1);
  return last?.kind === kind ? last : null;
}

export const permissionDenied: Rule = {
  verdict: 'permission-denied',
  evaluate(ctx) {
    const failure = latestBindFailure(ctx, 'permissionDenied');
    if (!failure || !ctx.lb) return null;
    const { kind, binary } = ctx.lb.runbook;
    const start = ctx.probes.sysctls.ipUnprivilegedPortStart;
    let why: string;
    if (start === null)
      why = `ports below net.ipv4.ip_unprivileged_port_start need root or CAP_NET_BIND_SERVICE`;
    else if (ctx.port < start)
      why = `port ${ctx.port} is below ip_unprivileged_port_start (${start}) and ${kind} runs without root or CAP_NET_BIND_SERVICE`;
    else
      why = `port ${ctx.port} is not privileged here (ip_unprivileged_port_start=${start}), so a security policy (SELinux, AppArmor) likely refused it`;
    const lines = pickEvidence(ctx.probes, [failure.line, 'ip_unprivileged_port_start']);
    return {
      verdict: 'permission-denied',
      summary: `${kind} cannot bind ${failure.address}: permission denied (errno 13) — ${why}`,
      occupant: null,
      evidence: lines.length > 0 ? mergeEvidence(lines) : [derivedEvidence('lb-log', failure.line)],
      actions: [
        adviceAction(
          `Let ${kind} bind port ${ctx.port} on ${ctx.hostName}`,
          `Start the ${kind} master as root (it drops privileges for workers), or grant the capability: ` +
            `AmbientCapabilities=CAP_NET_BIND_SERVICE in a systemd drop-in, or setcap 'cap_net_bind_service=+ep' ${binary}; ` +
            `or lower net.ipv4.ip_unprivileged_port_start to ${ctx.port} (host-wide: any user may then bind it). ` +
            `If the port is already unprivileged, check the SELinux port type (semanage port -l) or the AppArmor profile.`,
        ),
      ],
    };
  },
};
