import type { CommandRunner } from '../domain/CommandRunner';
import type { Diagnosis } from '../domain/diagnosis';
import type { HostConfig, Inventory } from '../domain/HostConfig';
import type { Runbook } from '../domain/Runbook';
import { observeHost } from './observeHost';

export interface DiagnoseDeps {
  runner: CommandRunner;
  runbooks: ReadonlyMap<string, Runbook>;
  /** Milliseconds, monotonic enough for durations. */
  now: () => number;
}

/**
 * Probe one host and diagnose. SSH failures become an `unreachable` diagnosis (the first verdict
 * of docs/reference/verdicts.md) rather than an exception, so fan-out reports every host.
 */
export async function diagnoseHost(
  deps: DiagnoseDeps,
  inventory: Inventory,
  host: HostConfig,
  port: number,
): Promise<Diagnosis> {
  return (await observeHost(deps, inventory, host, port)).diagnosis;
}
