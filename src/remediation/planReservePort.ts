import { analyseHa } from './analyseHa';
import { assemblePlan } from './assemblePlan';
import { configTestStep, lbMove, lbMoveSteps, type StepScope } from './lbSteps';
import type { PlanInput, PlanResult, PlanStep } from './RemediationPlan';
import {
  closeConnectionCommand,
  persistReservedPortsCommand,
  RESERVED_PORTS_DROP_IN,
  reservedPortsList,
  reservePortCommand,
} from './stepCommands';
import { withHandover } from './withHandover';

/**
 * The ephemeral-port-collision fix: reserve the port (runtime, then a sysctl drop-in for the
 * next boot), end the colliding connection only when that was approved too, then bring the LB
 * up. None of it interrupts a listener, so no VIP handover.
 */
export function planReservePort(input: PlanInput): PlanResult {
  const { diagnosis: d, lb, reservedPorts, connection } = input.target;
  if (reservedPorts === undefined || reservedPorts === null) {
    // Writing the sysctl replaces the whole list: without it, existing reservations would be lost.
    return {
      ok: false,
      code: 'input-mismatch',
      reason: `net.ipv4.ip_local_reserved_ports of ${d.host} is unknown: the existing reservations cannot be kept`,
    };
  }
  const close = input.options.closeConnection;
  if (close && !connection) {
    return {
      ok: false,
      code: 'input-mismatch',
      reason: `no connection on port ${d.port} of ${d.host} is known: there is nothing exact to close`,
    };
  }
  const haResult = analyseHa(input, false);
  if (!haResult.ok) return haResult;
  const s: StepScope = { host: d.host, port: d.port, sudo: input.options.sudo };
  const list = reservedPortsList(reservedPorts, d.port);
  const keeps = reservedPorts.length > 0 ? ' (keeps every port already reserved)' : '';
  const steps: PlanStep[] = [
    ...(lb ? [configTestStep(s, lb)] : []),
    {
      host: s.host,
      kind: 'reserve-port',
      command: reservePortCommand(s.sudo, list),
      mutating: true,
      precondition: [{ kind: 'reserved-ports-are', host: s.host, ranges: reservedPorts }],
      verification: [{ kind: 'exit-zero' }, { kind: 'port-reserved', host: s.host, port: s.port }],
      why: `keep new outgoing connections off port ${s.port}${keeps}`,
      ifFails: `port ${s.port} is not reserved: nothing else was changed`,
    },
    {
      host: s.host,
      kind: 'persist-reserved-ports',
      command: persistReservedPortsCommand(s.sudo, list),
      mutating: true,
      precondition: [],
      verification: [{ kind: 'exit-zero' }],
      why: `the reservation must survive a reboot (${RESERVED_PORTS_DROP_IN})`,
      ifFails: `port ${s.port} is reserved until the next reboot only`,
    },
  ];
  if (close && connection) {
    steps.push({
      host: s.host,
      kind: 'close-connection',
      command: closeConnectionCommand(s.sudo, connection),
      mutating: true,
      precondition: [],
      verification: [{ kind: 'exit-zero' }, { kind: 'connection-gone', host: s.host, connection }],
      why: `the reservation does not end the connection that holds port ${s.port} now: end exactly that one`,
      ifFails: `the connection still holds port ${s.port}`,
    });
  }
  if (lb && !d.lb?.listening) {
    steps.push(
      ...withHandover(
        s,
        haResult.ha,
        lbMoveSteps(s, lb, lbMove(d.lb?.running === true, false)),
        lb.kind,
      ),
    );
  }
  return assemblePlan(input, haResult.ha, null, steps);
}
