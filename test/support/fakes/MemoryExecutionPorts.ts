import type { AuditEvent, AuditEventInput } from '../../../src/audit/AuditEvent';
import type { AuditLog } from '../../../src/audit/AuditLog';
import type {
  FencingLock,
  JournalState,
  StepJournal,
} from '../../../src/remediation/ExecutionPorts';

/** In-memory audit log for unit tests of the executor; `failOn` makes appends of a type throw. */
export class MemoryAuditLog implements AuditLog {
  readonly events: AuditEventInput[] = [];
  failOn: string | null = null;

  append(e: AuditEventInput): Promise<AuditEvent> {
    if (e.type === this.failOn) return Promise.reject(new Error('audit down'));
    this.events.push(e);
    const seq = this.events.length;
    return Promise.resolve({ ...e, seq, at: '', prevHash: '', hash: '' });
  }

  async *read(): AsyncIterable<AuditEvent> {
    // The executor only appends; nothing reads back in unit tests.
  }
}

export class MemoryFencingLock implements FencingLock {
  private readonly held = new Map<string, number>();
  private counter = 0;

  acquire(scope: string): Promise<number | null> {
    if (this.held.has(scope)) return Promise.resolve(null);
    this.counter += 1;
    this.held.set(scope, this.counter);
    return Promise.resolve(this.counter);
  }

  holds(scope: string, token: number): Promise<boolean> {
    return Promise.resolve(this.held.get(scope) === token);
  }

  release(scope: string, token: number): Promise<void> {
    if (this.held.get(scope) === token) this.held.delete(scope);
    return Promise.resolve();
  }

  /** Another run took the scope over (e.g. after this one's lock expired). */
  steal(scope: string): void {
    this.counter += 1;
    this.held.set(scope, this.counter);
  }
}

export class MemoryStepJournal implements StepJournal {
  readonly state = new Map<string, JournalState>();

  private of(id: string): JournalState {
    const s = this.state.get(id) ?? { started: [], done: [] };
    this.state.set(id, s);
    return s;
  }

  read(id: string): Promise<JournalState> {
    const s = this.of(id);
    return Promise.resolve({ started: [...s.started], done: [...s.done] });
  }

  begin(id: string, step: number): Promise<boolean> {
    const s = this.of(id);
    if (s.started.includes(step)) return Promise.resolve(false);
    s.started.push(step);
    return Promise.resolve(true);
  }

  complete(id: string, step: number): Promise<void> {
    this.of(id).done.push(step);
    return Promise.resolve();
  }
}
