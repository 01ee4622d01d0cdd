import type { Diagnosis } from '../../../src/domain/diagnosis';
import type {
  FiringOutcome,
  Incident,
  IncidentStore,
  ResolvedOutcome,
} from '../../../src/incidents/Incident';
import type { PostSlot } from '../../../src/domain/PostSlot';
import { MemoryPostSlot } from './MemoryPostSlot';

/** In-memory IncidentStore for unit tests of pure orchestration (the Redis one has its own tests). */
export class MemoryIncidentStore implements IncidentStore {
  readonly incidents = new Map<string, Incident>();
  readonly diagnoses = new Map<string, Diagnosis>();
  private readonly claims = new Set<string>();
  readonly slots = new Map<string, MemoryPostSlot>();
  private seq = 0;

  /** `now` is the post slots' clock, so tests can let a claim's lease run out. */
  constructor(private readonly now: () => number = () => Date.now()) {}

  add(partial: Partial<Incident> & { host: string; port: number }): Incident {
    const id = partial.id ?? `INC-${++this.seq}`;
    const incident: Incident = {
      id,
      status: 'open',
      channel: 'C0ALERTS',
      rootTs: null,
      alertCount: 1,
      openedAt: 0,
      lastAlertAt: 0,
      resolvedAt: null,
      lastDiagnosedAt: 0,
      summary: '',
      requestedBy: null,
      ...partial,
    };
    this.incidents.set(id, incident);
    return incident;
  }

  recordFiring(_input: Parameters<IncidentStore['recordFiring']>[0]): Promise<FiringOutcome> {
    return Promise.reject(new Error('not used by these tests'));
  }
  recordResolved(_input: Parameters<IncidentStore['recordResolved']>[0]): Promise<ResolvedOutcome> {
    return Promise.reject(new Error('not used by these tests'));
  }
  hasOpen(host: string, port: number): Promise<boolean> {
    return Promise.resolve(
      [...this.incidents.values()].some(
        (i) => i.host === host && i.port === port && i.status === 'open',
      ),
    );
  }
  openCheck(input: {
    host: string;
    port: number;
    channel: string;
    summary: string;
    requestedBy: string;
    now: number;
  }): Promise<Incident> {
    return Promise.resolve(
      this.add({ ...input, id: `CHK-${++this.seq}`, alertCount: 0, openedAt: input.now }),
    );
  }
  get(id: string): Promise<Incident | null> {
    const i = this.incidents.get(id);
    return Promise.resolve(i ? { ...i } : null);
  }
  setRoot(id: string, channel: string, ts: string): Promise<boolean> {
    const i = this.incidents.get(id);
    if (!i || i.rootTs) return Promise.resolve(false);
    this.incidents.set(id, { ...i, channel, rootTs: ts });
    return Promise.resolve(true);
  }
  rootSlot(id: string): PostSlot {
    return this.slot(`root:${id}`, ({ channel, ts }) => {
      const i = this.incidents.get(id);
      if (i) this.incidents.set(id, { ...i, channel, rootTs: ts });
    });
  }
  replySlot(threadId: string, replyId: string): PostSlot {
    return this.slot(`reply:${threadId}:${replyId}`);
  }
  private slot(key: string, onRecord?: (p: { channel: string; ts: string }) => void): PostSlot {
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = new MemoryPostSlot(onRecord, this.now)));
    return slot;
  }
  claimOnce(key: string): Promise<boolean> {
    if (this.claims.has(key)) return Promise.resolve(false);
    this.claims.add(key);
    return Promise.resolve(true);
  }
  releaseClaim(key: string): Promise<void> {
    this.claims.delete(key);
    return Promise.resolve();
  }
  saveDiagnosis(id: string, diagnosis: Diagnosis): Promise<Incident | null> {
    const i = this.incidents.get(id);
    if (!i) return Promise.resolve(null);
    this.diagnoses.set(id, diagnosis);
    return Promise.resolve({ ...i });
  }
  getDiagnosis(id: string): Promise<Diagnosis | null> {
    return Promise.resolve(this.diagnoses.get(id) ?? null);
  }
  countOpen(): Promise<number> {
    return Promise.resolve([...this.incidents.values()].filter((i) => i.status === 'open').length);
  }
}
