import type { JobAttempt, JobProgress } from '../../../src/worker/processDiagnoseJob';

/** One diagnosis job across its runs: each next() is a run; progress persists like job data. */
export class FakeJob {
  progress: JobProgress = { sshAttempts: 0, diagnosedAt: null };
  /** False once another worker took the job over (its lock lapsed). */
  lockHeld = true;
  private runs = 0;

  constructor(
    readonly id: string,
    readonly attempts = 4,
  ) {}

  next(): JobAttempt {
    return {
      id: this.id,
      attemptsMade: this.runs++,
      attempts: this.attempts,
      progress: { ...this.progress },
      holdsLock: () => Promise.resolve(this.lockHeld),
      saveProgress: (p) => {
        this.progress = { ...p };
        return Promise.resolve();
      },
    };
  }
}
