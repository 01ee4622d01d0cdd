import type { Diagnosis } from '../domain/diagnosis';
import type { Verdict } from '../domain/verdict';
import type { PlanRefusalCode, TargetIdentity } from './RemediationPlan';

/** Processes whose death takes the host's access, HA or containers with it. */
export const NEVER_KILL_PROGRAMS: readonly string[] = [
  'sshd',
  'keepalived',
  'docker-proxy',
  'containerd-shim',
  'containerd-shim-runc-v2',
  'kubelet',
];

/** Verdicts that end in escalation: killing destroys evidence or fights an orchestrator. */
const ESCALATION_ONLY: readonly Verdict[] = [
  'suspicious-occupant',
  'protected-occupant',
  'container-port',
  // systemd owns the socket: a kill would hit the service manager itself
  'socket-activation',
];

type KillCheck =
  { ok: true; target: TargetIdentity } | { ok: false; code: PlanRefusalCode; reason: string };

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Whether the occupant of this diagnosis may be signalled at all, and the identity the kill is
 * bound to. Checked again here although the diagnosis offers no kill for these cases: the plan
 * engine must be safe on any input, including a CLI --action the diagnosis did not offer.
 */
export function killRefusal(d: Diagnosis): KillCheck {
  const o = d.occupant;
  if (ESCALATION_ONLY.includes(d.verdict)) {
    return { ok: false, code: 'never-kill', reason: `${d.verdict}: escalate, never kill` };
  }
  if (!o) {
    return {
      ok: false,
      code: 'target-unidentified',
      reason: `no process is known to hold port ${d.port} on ${d.host}`,
    };
  }
  const name = `${o.comm} (pid ${o.pid})`;
  if (o.pid <= 1) return { ok: false, code: 'never-kill', reason: `${name} is the init process` };
  if (o.container !== null) {
    return { ok: false, code: 'never-kill', reason: `${name} runs in container ${o.container}` };
  }
  const programs = [o.comm, ...(o.exe !== null ? [basename(o.exe)] : [])];
  const protectedName = programs.find((p) => NEVER_KILL_PROGRAMS.includes(p));
  if (protectedName !== undefined) {
    return { ok: false, code: 'never-kill', reason: `${name} is ${protectedName}: never killed` };
  }
  if (d.lb?.pid === o.pid) {
    return { ok: false, code: 'never-kill', reason: `${name} is the managed ${d.lb.kind} master` };
  }
  if (o.startTicks === null || o.exe === null || o.uid === null) {
    // Without all three the re-check cannot tell the approved process from a pid reuse.
    return {
      ok: false,
      code: 'target-unidentified',
      reason: `${name}: start ticks, executable or uid unknown, so pid reuse could not be ruled out`,
    };
  }
  return {
    ok: true,
    target: { pid: o.pid, startTicks: o.startTicks, exe: o.exe, uid: o.uid, cmdline: o.cmdline },
  };
}
