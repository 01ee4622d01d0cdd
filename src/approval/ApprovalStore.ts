import type { RemediationPlan } from '../remediation/RemediationPlan';
import type { ApprovalState } from './ApprovalState';

/** Where a request's approval message lives: the incident thread and, once posted, its ts. */
export interface ApprovalMessageRef {
  channel: string;
  threadTs: string;
  messageTs: string | null;
}

/** A remediation request as stored: its state, the exact plan it is bound to, its message. */
export interface RemediationRequest {
  state: ApprovalState;
  plan: RemediationPlan;
  message: ApprovalMessageRef;
}

/**
 * The store of remediation requests. Writes are compare-and-set on `state.version`, so two
 * clicks that read the same state cannot both apply: the loser re-reads and re-decides.
 */
export interface ApprovalStore {
  /** Stores a new request under a fresh opaque id (the store mints it: it is unguessable). */
  create(build: (requestId: string) => RemediationRequest): Promise<RemediationRequest>;
  /** null for an unknown, expired or malformed id. */
  get(requestId: string): Promise<RemediationRequest | null>;
  /** Writes `next` only when the stored version is still `expectedVersion`. */
  compareAndSet(expectedVersion: number, next: ApprovalState): Promise<boolean>;
  setMessageTs(requestId: string, messageTs: string): Promise<void>;
}
