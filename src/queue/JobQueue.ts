/** `waiting-children`: a fleet check's parent job while its chunks are being diagnosed. */
export const JOB_STATES = [
  'waiting',
  'waiting-children',
  'active',
  'delayed',
  'completed',
  'failed',
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** The queues by what they carry; the metrics label `queue` uses these names. */
export type QueueName = 'diagnose' | 'fleet_check' | 'refresh_root';

export type JobCounts = Record<QueueName, Record<JobState, number>>;

/** What ingress needs from the queue; the BullMQ adapter implements it. */
export interface JobQueue {
  /**
   * Queues a diagnosis; at most one runs per incident at a time, later requests coalesce.
   * `first`: the incident's first diagnosis, idempotent (a fixed job id): asking again while
   * that job exists, or after it completed, adds nothing; a failed one is retried.
   */
  enqueueDiagnose(incidentId: string, opts?: { first?: boolean }): Promise<void>;
  /**
   * `check group:` / `check all`: a flow of one child job per chunk of hosts (any worker takes
   * each) and a parent that writes the one summary thread when the last child has ended.
   * Idempotent per check id.
   */
  enqueueFleetCheck(checkId: string, hosts: readonly string[]): Promise<void>;
  /** Asks for the root message to be re-rendered soon; bursts coalesce into one update. */
  enqueueRefreshRoot(incidentId: string): Promise<void>;
  counts(): Promise<JobCounts>;
  close(): Promise<void>;
}
