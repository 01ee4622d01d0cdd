import type { Redis } from 'ioredis';
import type { JournalState, StepJournal } from '../ExecutionPorts';

const PREFIX = 'portbot:remediation:journal:';
/** Long enough to outlive any request and its investigation; the audit log keeps the history. */
const TTL_SECONDS = 30 * 24 * 3600;

/** One Redis hash per request: field `started:<n>` / `done:<n>` = ms timestamp. */
export class RedisStepJournal implements StepJournal {
  constructor(
    private readonly redis: Redis,
    private readonly now: () => number = Date.now,
  ) {}

  async read(requestId: string): Promise<JournalState> {
    const fields = await this.redis.hkeys(PREFIX + requestId);
    const numbers = (kind: string) =>
      fields.flatMap((f) => {
        const m = /^(started|done):(\d+)$/.exec(f);
        return m?.[1] === kind ? [Number(m[2])] : [];
      });
    return { started: numbers('started'), done: numbers('done') };
  }

  async begin(requestId: string, step: number): Promise<boolean> {
    const key = PREFIX + requestId;
    const [[, created] = []] =
      (await this.redis
        .multi()
        .hsetnx(key, `started:${step}`, String(this.now()))
        .expire(key, TTL_SECONDS)
        .exec()) ?? [];
    return created === 1;
  }

  async complete(requestId: string, step: number): Promise<void> {
    await this.redis.hset(PREFIX + requestId, `done:${step}`, String(this.now()));
  }
}
