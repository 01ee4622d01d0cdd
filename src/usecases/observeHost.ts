import { resolveLb } from '../config/resolveLb';
import { diagnose } from '../diagnosis/diagnose';
import { isDiagnosisFailureCode } from '../diagnosis/diagnosisFailure';
import { unreachableDiagnosis } from '../diagnosis/unreachableDiagnosis';
import { groupOf } from '../domain/findHost';
import type { HostConfig, Inventory } from '../domain/HostConfig';
import { isPortbotError } from '../domain/PortbotError';
import { collectProbes } from '../probes/collectProbes';
import { collectSamples } from '../probes/collectSamples';
import type { SampleMode } from '../probes/catalogue';
import type { ProbeResults } from '../domain/ProbeResults';
import { SAMPLED_VERDICTS } from '../diagnosis/rules/transientOccupant';
import type { Observation } from '../remediation/ExecutionPorts';
import type { DiagnoseDeps } from './diagnoseHost';

export interface ObserveOptions {
  /**
   * Sample the port this long (ms) when the snapshot finds it free or healthy
   * (transient-occupant); 0 or absent: no sampling.
   */
  sampleMs?: number;
}

/** The probes with the samples added, or with a note of why sampling failed (never throws). */
async function sampleInto(
  deps: DiagnoseDeps,
  host: HostConfig,
  port: number,
  probes: ProbeResults,
  opts: { windowMs: number; mode: SampleMode },
): Promise<ProbeResults> {
  try {
    const outcome = await collectSamples(deps.runner, host, port, opts);
    if ('samples' in outcome) return { ...probes, samples: outcome.samples };
    return { ...probes, missing: [...probes.missing, outcome.missing] };
  } catch (err) {
    const detail = `sampling port ${port} failed: ${err instanceof Error ? err.message : String(err)}`;
    return { ...probes, missing: [...probes.missing, { code: 'sample-failed', detail }] };
  }
}

/**
 * Probe one host and diagnose, keeping the probe data (reserved ports, sockets) that checks and
 * plans need beyond the diagnosis. SSH failures give an `unreachable` diagnosis and no probes.
 */
export async function observeHost(
  deps: DiagnoseDeps,
  inventory: Inventory,
  host: HostConfig,
  port: number,
  opts: ObserveOptions = {},
): Promise<Observation> {
  const started = deps.now();
  const lb = resolveLb(host, deps.runbooks);
  const ha = groupOf(inventory, host);
  try {
    const probes = await collectProbes(deps.runner, host, port, lb, ha);
    const protectedAgents = inventory.protectedAgents ?? [];
    const input = { host, port, probes, lb, ha, protectedAgents };
    const first = diagnose({ ...input, durationMs: Math.round(deps.now() - started) });
    if (!(opts.sampleMs && opts.sampleMs > 0 && SAMPLED_VERDICTS.includes(first.verdict)))
      return { diagnosis: first, probes };
    const sampled = await sampleInto(deps, host, port, probes, {
      windowMs: opts.sampleMs,
      mode: first.lb?.listening ? 'listening' : 'holding',
    });
    const durationMs = Math.round(deps.now() - started);
    return { diagnosis: diagnose({ ...input, probes: sampled, durationMs }), probes: sampled };
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
