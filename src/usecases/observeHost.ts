import { resolveLb } from '../config/resolveLb';
import { diagnose } from '../diagnosis/diagnose';
import { isDiagnosisFailureCode } from '../diagnosis/diagnosisFailure';
import { unreachableDiagnosis } from '../diagnosis/unreachableDiagnosis';
import { groupOf } from '../domain/findHost';
import type { HostConfig, Inventory } from '../domain/HostConfig';
import { isPortbotError } from '../domain/PortbotError';
import { collectProbes } from '../probes/collectProbes';
import type { Observation } from '../remediation/ExecutionPorts';
import type { DiagnoseDeps } from './diagnoseHost';

/**
 * Probe one host and diagnose, keeping the probe data (reserved ports, sockets) that checks and
 * plans need beyond the diagnosis. SSH failures give an `unreachable` diagnosis and no probes.
 */
export async function observeHost(
  deps: DiagnoseDeps,
  inventory: Inventory,
  host: HostConfig,
  port: number,
): Promise<Observation> {
  const started = deps.now();
  const lb = resolveLb(host, deps.runbooks);
  const ha = groupOf(inventory, host);
  try {
    const probes = await collectProbes(deps.runner, host, port, lb, ha);
    const durationMs = Math.round(deps.now() - started);
    return { diagnosis: diagnose({ host, port, probes, lb, ha, durationMs }), probes };
  } catch (err) {
    // Unreachable or unprobeable, the host gets a diagnosis that says so: fan-out reports every
    // host and `diagnose --all` exits 3 instead of losing the others' results.
    if (isPortbotError(err) && isDiagnosisFailureCode(err.code)) {
      const durationMs = Math.round(deps.now() - started);
      return {
        diagnosis: unreachableDiagnosis(
          host.name,
          port,
          { code: err.code, message: err.message },
          durationMs,
        ),
        probes: null,
      };
    }
    throw err;
  }
}
