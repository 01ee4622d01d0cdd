import type {
  FencingLock,
  JournalState,
  StepJournal,
} from '../../../src/remediation/ExecutionPorts';

// Kept importable from here: the executor's tests take all their ports from this file.
export { MemoryAuditLog } from './MemoryAuditLog';

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
