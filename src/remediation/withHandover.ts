import type { HaView } from './analyseHa';
import type { StepScope } from './lbSteps';
import { verifyListeningStep } from './lbSteps';
import type { PlanStep } from './RemediationPlan';
import { operatorCommand, vipCheckCommand } from './stepCommands';

/** keepalived moved a VIP in about 0.6-3 s in the lab (test/lab); leave room for a loaded host. */
export const VIP_MOVE_MS = 15_000;

/**
 * Wraps the steps that interrupt what serves the port on the target. On the VIP holder: verify
 * the peers, demote, wait for the VIP to move, act, then promote and confirm one holder. A step
 * that fails after the demote stops the plan with the VIP left on the peer. On a member without
 * the VIP: every interrupting step first checks that the VIP has not moved to it meanwhile.
 */
export function withHandover(
  s: StepScope,
  ha: HaView | null,
  interrupting: PlanStep[],
  lbKind: string | null,
): PlanStep[] {
  if (!ha || ha.outage) return interrupting;
  if (!ha.handover) {
    return interrupting.map((step) =>
      step.mutating
        ? {
            ...step,
            precondition: [...step.precondition, { kind: 'vip-not-on', host: s.host, vip: ha.vip }],
          }
        : step,
    );
  }
  const peers = ha.healthyPeers;
  const stays = `the VIP stays on ${peers.join(' or ')} (no promote): fix ${s.host}, then run \`${ha.promote}\` there once it serves port ${s.port}`;
  const before: PlanStep[] = [
    ...peers.map((peer) => ({
      ...verifyListeningStep({ ...s, host: peer }, lbKind ?? 'the LB'),
      kind: 'verify-peer' as const,
      why: `${peer} takes the VIP while ${s.host} is worked on: it must serve port ${s.port} first`,
      ifFails: `${peer} does not serve port ${s.port}: nothing was changed`,
    })),
    {
      host: s.host,
      kind: 'demote',
      command: operatorCommand(s.sudo, ha.demote),
      mutating: true,
      precondition: [{ kind: 'vip-held-once', by: [s.host], vip: ha.vip, withinMs: 0 }],
      verification: [{ kind: 'exit-zero' }],
      why: `${s.host} holds the VIP ${ha.vip}: hand it to a healthy peer before interrupting port ${s.port}`,
      ifFails: `demote failed: check that ${s.host} still holds the VIP ${ha.vip}, and run \`${ha.promote}\` if keepalived stopped`,
    },
    {
      host: s.host,
      kind: 'wait-vip-moved',
      command: vipCheckCommand(ha.vip),
      mutating: false,
      precondition: [],
      verification: [
        { kind: 'vip-moved', from: s.host, to: peers, vip: ha.vip, withinMs: VIP_MOVE_MS },
      ],
      why: `act only once the VIP ${ha.vip} is served by ${peers.join(' or ')}`,
      ifFails: `the VIP did not move to a healthy peer: nothing was interrupted; run \`${ha.promote}\` on ${s.host}`,
    },
  ];
  const after: PlanStep[] = [
    {
      host: s.host,
      kind: 'promote',
      command: operatorCommand(s.sudo, ha.promote),
      mutating: true,
      precondition: [{ kind: 'lb-listening', host: s.host, port: s.port, withinMs: 0 }],
      verification: [{ kind: 'exit-zero' }],
      why: `${s.host} serves port ${s.port} again: let it rejoin ${ha.group}`,
      ifFails: stays,
    },
    {
      host: s.host,
      kind: 'verify-vip',
      command: vipCheckCommand(ha.vip),
      mutating: false,
      precondition: [],
      verification: [
        { kind: 'vip-held-once', by: [s.host, ...peers], vip: ha.vip, withinMs: VIP_MOVE_MS },
      ],
      why: `exactly one member must hold the VIP ${ha.vip} when portbot is done`,
      ifFails: `the VIP ${ha.vip} is not held by exactly one member: check ${ha.group} now`,
    },
  ];
  const during = interrupting.map((step) => ({ ...step, ifFails: `${step.ifFails}; ${stays}` }));
  return [...before, ...during, ...after];
}
