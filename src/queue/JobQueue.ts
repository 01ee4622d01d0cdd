/** What ingress needs from the queue; the BullMQ adapter implements it. */
export interface JobQueue {
  /**
   * Queues a diagnosis; at most one runs per incident at a time, later requests coalesce.
   * `first`: the incident's first diagnosis, idempotent (a fixed job id): asking again while
   * that job exists, or after it completed, adds nothing.
   */
  enqueueDiagnose(incidentId: string, opts?: { first?: boolean }): Promise<void>;
  /** One job for `check group:` / `check all`: one summary thread instead of one per host. */
  enqueueGroupDiagnose(checkId: string, hosts: readonly string[]): Promise<void>;
  /** Asks for the root message to be re-rendered soon; bursts coalesce into one update. */
  enqueueRefreshRoot(incidentId: string): Promise<void>;
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}
