import type { Job } from 'bullmq';
import type { Diagnosis } from '../domain/diagnosis';
import type { Log } from '../domain/Log';
import { FleetChunkResultSchema } from '../fleetChecks/FleetChunkResultSchema';
import { fleetChunkJobId, type FleetSummaryJobData } from '../queue/jobTypes';
import type { FleetChunkOutcomes } from './processFleetCheckJob';

/**
 * What a fleet check's children left for the parent: each completed child's return value,
 * checked with FleetChunkResultSchema (a value that fails it counts as no result, logged), and
 * the last error of each child that failed for good (ignoreDependencyOnFailure keeps it).
 */
export async function readFleetChunkResults(
  job: Pick<Job, 'queueQualifiedName' | 'getChildrenValues' | 'getIgnoredChildrenFailures'>,
  data: FleetSummaryJobData,
  log: Log,
): Promise<FleetChunkOutcomes> {
  const [values, ignored] = await Promise.all([
    job.getChildrenValues<unknown>(),
    job.getIgnoredChildrenFailures(),
  ]);
  const results = new Map<number, Diagnosis[]>();
  for (const [child, value] of Object.entries(values)) {
    const parsed = FleetChunkResultSchema.safeParse(value);
    if (parsed.success) results.set(parsed.data.chunk, parsed.data.diagnoses);
    else
      log.error(
        { fleetCheckId: data.checkId, child, issues: parsed.error.issues.length },
        'fleet chunk result unreadable; its hosts are reported as not diagnosed',
      );
  }
  const failures = new Map<number, string>();
  data.chunks.forEach((_, chunk) => {
    // Children are keyed by their Redis key: the queue's qualified name and the id we gave them.
    const key = `${job.queueQualifiedName}:${fleetChunkJobId(data.checkId, chunk)}`;
    const reason = ignored[key];
    if (reason !== undefined) failures.set(chunk, reason);
  });
  return { results, failures };
}
