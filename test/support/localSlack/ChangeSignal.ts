import { EventEmitter } from 'node:events';

/** "Something changed": waiters re-check their condition on each signal. */
export class ChangeSignal {
  private readonly events = new EventEmitter();

  emit(): void {
    this.events.emit('change');
  }

  /** Resolves once `test()` holds (checked now and after every signal), rejects after timeoutMs. */
  until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('change', check);
        reject(new Error(`${what}: not within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        if (!test()) return;
        clearTimeout(timer);
        this.events.off('change', check);
        resolve();
      };
      this.events.on('change', check);
    });
  }
}
