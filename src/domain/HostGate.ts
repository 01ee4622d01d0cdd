/**
 * Shared across workers (Redis): how many jobs may hold a worker slot for one host, and a
 * short-memory circuit breaker for hosts that just timed out.
 */
export interface HostGate {
  /** True when the job may run against the host now; false when the host is at its limit. */
  enter(host: string, jobId: string): Promise<boolean>;
  leave(host: string, jobId: string): Promise<void>;
  /** Milliseconds the breaker stays open for this host; 0 when closed. */
  openForMs(host: string): Promise<number>;
  trip(host: string): Promise<void>;
}
