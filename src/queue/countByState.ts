import { JOB_STATES, type JobState } from './JobQueue';

/** A queue's jobs per state, every state present (0 when BullMQ leaves one out). */
export async function countByState(queue: {
  getJobCounts(...states: JobState[]): Promise<Record<string, number>>;
}): Promise<Record<JobState, number>> {
  const counts = await queue.getJobCounts(...JOB_STATES);
  const out = {} as Record<JobState, number>;
  for (const state of JOB_STATES) out[state] = counts[state] ?? 0;
  return out;
}
