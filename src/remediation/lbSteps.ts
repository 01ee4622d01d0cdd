import type { Runbook } from '../domain/Runbook';
import type { PlanStep } from './RemediationPlan';
import { operatorCommand, portCheckCommand } from './stepCommands';

/** How long an LB gets to bind after start/reload (nginx retries a taken port for ~2.5 s). */
export const LB_LISTEN_MS = 10_000;

export interface StepScope {
  host: string;
  port: number;
  sudo: boolean;
}

export function configTestStep(s: StepScope, lb: Runbook): PlanStep {
  return {
    host: s.host,
    kind: 'config-test',
    command: operatorCommand(s.sudo, lb.commands.configTest),
    mutating: false,
    precondition: [],
    verification: [{ kind: 'exit-zero' }],
    why: `a ${lb.kind} config that fails its test would not start: find out before anything is changed`,
    ifFails: `the ${lb.kind} config is broken: nothing was changed`,
  };
}

export type LbMove = 'start-lb' | 'reload-lb' | 'restart-lb';

/** Reload a running LB (restart only when asked for), start one that is down. */
export function lbMove(running: boolean, restartAsked: boolean): LbMove {
  if (!running) return 'start-lb';
  return restartAsked ? 'restart-lb' : 'reload-lb';
}

const WHY: Record<LbMove, (kind: string, port: number) => string> = {
  'start-lb': (kind, port) => `${kind} is down: start it so it binds port ${port}`,
  'reload-lb': (kind, port) =>
    `${kind} runs: a reload re-reads its config and binds port ${port} without dropping connections`,
  'restart-lb': (kind) => `a restart was asked for: ${kind} stops and starts again`,
};

/** The LB command, then `ss`: an nginx reload exits 0 even when the bind fails (docs/reference/remediation.md). */
export function lbMoveSteps(s: StepScope, lb: Runbook, move: LbMove): PlanStep[] {
  const command =
    move === 'start-lb'
      ? lb.commands.start
      : move === 'reload-lb'
        ? lb.commands.reload
        : lb.commands.restart;
  return [
    {
      host: s.host,
      kind: move,
      command: operatorCommand(s.sudo, command),
      mutating: true,
      precondition: [],
      verification: [{ kind: 'exit-zero' }],
      why: WHY[move](lb.kind, s.port),
      ifFails: `${lb.kind} did not take the command`,
    },
    verifyListeningStep(s, lb.kind),
  ];
}

export function verifyListeningStep(s: StepScope, kind: string): PlanStep {
  return {
    host: s.host,
    kind: 'verify-listening',
    command: portCheckCommand(s.sudo, s.port),
    mutating: false,
    precondition: [],
    verification: [{ kind: 'lb-listening', host: s.host, port: s.port, withinMs: LB_LISTEN_MS }],
    why: `a zero exit code is not proof: the managed ${kind} must be seen listening on port ${s.port}`,
    ifFails: `${kind} does not listen on port ${s.port}`,
  };
}
