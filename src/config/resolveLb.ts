import type { HostConfig } from '../domain/HostConfig';
import { PortbotError } from '../domain/PortbotError';
import type { Runbook } from '../domain/Runbook';
import { withoutUndefined } from './withoutUndefined';

/** The runbook of a host's LB kind with the host's inventory overrides applied. */
export function resolveLb(
  host: HostConfig,
  runbooks: ReadonlyMap<string, Runbook>,
): Runbook | null {
  if (!host.lb) return null;
  const runbook = runbooks.get(host.lb.kind);
  // The inventory loader rejects unknown kinds, so a miss here is a programming error.
  if (!runbook)
    throw new PortbotError('INTERNAL', `no runbook for LB kind ${host.lb.kind}`, {
      userFacing: false,
    });
  const lb = host.lb;
  return {
    ...runbook,
    pidFile: lb.pidFile ?? runbook.pidFile,
    unit: lb.unit ?? runbook.unit,
    errorLog: lb.errorLog ?? runbook.errorLog,
    configFile: lb.configFile ?? runbook.configFile,
    commands: { ...runbook.commands, ...withoutUndefined(lb.commands ?? {}) },
  };
}
