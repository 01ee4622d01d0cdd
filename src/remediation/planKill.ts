import { analyseHa } from './analyseHa';
import { killRefusal } from './killRefusal';
import { configTestStep, lbMove, lbMoveSteps, type StepScope } from './lbSteps';
import type { PlanInput, PlanResult, PlanStep } from './RemediationPlan';
import { assemblePlan } from './assemblePlan';
import { portCheckCommand, signalCommand } from './stepCommands';
import { withHandover } from './withHandover';

/** SIGKILL cannot be ignored: the port is free as soon as the kernel reaps the process. */
const KILL_WAIT_MS = 5_000;

/**
 * kill-occupant (SIGTERM) and escalate-kill (SIGKILL): re-check the approved process, signal
 * it, see the port free, then bring the managed LB up on it. SIGKILL is never a fallback inside
 * a SIGTERM plan: it is its own request with its own approval.
 */
export function planKill(input: PlanInput): PlanResult {
  const d = input.target.diagnosis;
  const lb = input.target.lb;
  const killable = killRefusal(d);
  if (!killable.ok) return killable;
  const t = killable.target;
  const s: StepScope = { host: d.host, port: d.port, sudo: input.options.sudo };
  const serving = d.occupant?.socketState === 'LISTEN' || d.occupant?.socketState === 'UNCONN';
  const haResult = analyseHa(input, serving);
  if (!haResult.ok) return haResult;
  const ha = haResult.ha;
  const sameTarget = { kind: 'occupant-is' as const, host: s.host, port: s.port, ...t };
  const who = `${d.occupant?.comm ?? 'the occupant'} (pid ${t.pid})`;
  const escalate = input.action === 'escalate-kill';
  const signal = escalate ? 'KILL' : 'TERM';

  const recheck: PlanStep = {
    host: s.host,
    kind: 'recheck-target',
    command: portCheckCommand(s.sudo, s.port),
    mutating: false,
    precondition: [],
    verification: [sameTarget],
    why: `act only on the approved process: same pid, start ticks, executable and uid as in the diagnosis`,
    ifFails: 'target changed, re-approval needed: nothing was done',
  };
  const kill: PlanStep[] = [
    {
      host: s.host,
      kind: 'signal',
      command: signalCommand(s.sudo, signal, t.pid),
      mutating: true,
      precondition: [sameTarget],
      verification: [{ kind: 'exit-zero' }],
      why: escalate
        ? `${who} ignored SIGTERM; SIGKILL was approved separately`
        : `ask ${who} to exit cleanly`,
      ifFails: 'target changed, re-approval needed: nothing was signalled',
    },
    {
      host: s.host,
      kind: 'wait-port-free',
      command: portCheckCommand(s.sudo, s.port),
      mutating: false,
      precondition: [],
      verification: [
        {
          kind: 'port-free',
          host: s.host,
          port: s.port,
          withinMs: escalate ? KILL_WAIT_MS : input.options.termWaitMs,
        },
      ],
      why: `port ${s.port} must be free before ${lb?.kind ?? 'anything'} can bind it`,
      ifFails: escalate
        ? `port ${s.port} is still held after SIGKILL`
        : `port ${s.port} is still held after SIGTERM: nothing more is sent (SIGKILL needs its own approval, escalate-kill)`,
    },
    ...(lb && !d.lb?.listening ? lbMoveSteps(s, lb, lbMove(d.lb?.running === true, false)) : []),
  ];
  const steps = [
    recheck,
    ...(lb ? [configTestStep(s, lb)] : []),
    ...withHandover(s, ha, kill, lb?.kind ?? null),
  ];
  return assemblePlan(input, ha, t, steps);
}
