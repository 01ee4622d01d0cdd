import { resolveLb } from '../config/resolveLb';
import type { CommandRunner } from '../domain/CommandRunner';
import type { Diagnosis } from '../domain/diagnosis';
import { groupOf } from '../domain/findHost';
import type { HostConfig, Inventory } from '../domain/HostConfig';
import { isPortbotError } from '../domain/PortbotError';
import type { Runbook } from '../domain/Runbook';
import { diagnose } from '../diagnosis/diagnose';
import { isDiagnosisFailureCode } from '../diagnosis/diagnosisFailure';
import { unreachableDiagnosis } from '../diagnosis/unreachableDiagnosis';
import { collectProbes } from '../probes/collectProbes';

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
  const started = deps.now();
  const lb = resolveLb(host, deps.runbooks);
  const ha = groupOf(inventory, host);
  try {
    const probes = await collectProbes(deps.runner, host, port, lb, ha);
    return diagnose({ host, port, probes, lb, ha, durationMs: Math.round(deps.now() - started) });
  } catch (err) {
    // Unreachable or unprobeable, the host gets a diagnosis that says so: fan-out reports every
    // host and `diagnose --all` exits 3 instead of losing the others' results.
    if (isPortbotError(err) && isDiagnosisFailureCode(err.code)) {
      const failure = { code: err.code, message: err.message };
      return unreachableDiagnosis(host.name, port, failure, Math.round(deps.now() - started));
    }
    throw err;
  }
}
