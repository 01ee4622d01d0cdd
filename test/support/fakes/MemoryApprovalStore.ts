import type { ApprovalState } from '../../../src/approval/ApprovalState';
import type { ApprovalStore, RemediationRequest } from '../../../src/approval/ApprovalStore';

/** ApprovalStore in memory with the same compare-and-set rule; unit tests of pure code only. */
export class MemoryApprovalStore implements ApprovalStore {
  readonly requests = new Map<string, RemediationRequest>();
  private next = 0;

  create(build: (requestId: string) => RemediationRequest): Promise<RemediationRequest> {
    const request = build(`req${String(++this.next).padStart(19, '0')}`);
    this.requests.set(request.state.requestId, request);
    return Promise.resolve(request);
  }

  get(requestId: string): Promise<RemediationRequest | null> {
    return Promise.resolve(this.requests.get(requestId) ?? null);
  }

  compareAndSet(expectedVersion: number, next: ApprovalState): Promise<boolean> {
    const cur = this.requests.get(next.requestId);
    if (!cur || cur.state.version !== expectedVersion) return Promise.resolve(false);
    this.requests.set(next.requestId, { ...cur, state: next });
    return Promise.resolve(true);
  }

  setMessageTs(requestId: string, messageTs: string): Promise<void> {
    const cur = this.requests.get(requestId);
    if (cur) this.requests.set(requestId, { ...cur, message: { ...cur.message, messageTs } });
    return Promise.resolve();
  }
}
