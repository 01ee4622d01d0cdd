import type { PostSlot } from '../domain/PostSlot';
import type { RiskMark } from './diffRisks';

/** The digest's memory: the last sweep's risks per scope, and each digest's post-once slot. */
export interface SweepStore {
  /** null: this scope was never swept (the next digest lists every risk). */
  lastRisks(scope: string): Promise<RiskMark[] | null>;
  saveRisks(scope: string, marks: readonly RiskMark[]): Promise<void>;
  /** The digest of one job run, posted once whatever crashes or retries. */
  digestSlot(runId: string): PostSlot;
}
