import type { Diagnosis } from '../domain/diagnosis';
import { unreachableDiagnosis } from './unreachableDiagnosis';

/** What one fleet-check child job returned: its chunk's diagnoses. */
export interface FleetChunkResult {
  /** Index of the chunk in the parent's list (see chunkHosts). */
  chunk: number;
  diagnoses: Diagnosis[];
}

/**
 * A fleet check's diagnoses, one per host in chunk order, from whatever its child jobs left:
 * a host whose chunk has no result (the child failed for good, or its result was unreadable)
 * or whose diagnosis is missing from it is reported `unreachable` with PROBE_FAILED and the
 * reason, so the summary never has a silent hole. Diagnoses of hosts outside the chunk are
 * dropped: each host is counted exactly once.
 */
export function fleetDiagnoses(input: {
  chunks: readonly (readonly string[])[];
  port: number;
  results: ReadonlyMap<number, readonly Diagnosis[]>;
  /** Why a chunk has no result, when known (e.g. the child job's last error). */
  failures: ReadonlyMap<number, string>;
}): Diagnosis[] {
  return input.chunks.flatMap((hosts, i) => {
    const result = input.results.get(i);
    const byHost = new Map((result ?? []).map((d) => [d.host, d]));
    const why =
      result === undefined
        ? `its worker job failed for good: ${input.failures.get(i) ?? 'no result'}`
        : 'its worker job returned no diagnosis for it';
    return hosts.map(
      (host) =>
        byHost.get(host) ??
        unreachableDiagnosis(
          host,
          input.port,
          { code: 'PROBE_FAILED', message: `not diagnosed: ${why}` },
          0,
        ),
    );
  });
}
