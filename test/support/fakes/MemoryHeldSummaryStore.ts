import type {
  HeldBatch,
  HeldSummary,
  HeldSummaryKey,
  HeldSummaryStore,
} from '../../../src/heldAlerts/HeldSummary';
import type { PostSlot } from '../../../src/domain/PostSlot';
import { MemoryPostSlot } from './MemoryPostSlot';

/** In-memory HeldSummaryStore for unit tests (the Redis one has its own integration tests). */
export class MemoryHeldSummaryStore implements HeldSummaryStore {
  readonly summaries = new Map<string, HeldSummary>();
  private readonly slots = new Map<string, MemoryPostSlot>();

  /** `now`: the post slots' clock, so a test can let a claim's lease run out. */
  constructor(private readonly now: () => number = Date.now) {}

  recordHeld(batch: HeldBatch): Promise<HeldSummaryKey> {
    const key = { source: batch.source, minute: Math.floor(batch.atMs / 60_000) };
    const s = this.summaries.get(id(key)) ?? {
      key,
      channel: batch.channel,
      count: 0,
      perMinute: batch.perMinute,
      targets: [],
      distinctTargets: 0,
      targetsComplete: true,
      message: null,
      shownCount: 0,
    };
    const targets = [...s.targets];
    for (const t of batch.targets)
      if (!targets.some((u) => u.host === t.host && u.port === t.port)) targets.push({ ...t });
    this.summaries.set(id(key), {
      ...s,
      count: s.count + batch.targets.length,
      perMinute: batch.perMinute,
      targets,
      distinctTargets: targets.length,
    });
    return Promise.resolve(key);
  }
  get(key: HeldSummaryKey, targets: number): Promise<HeldSummary | null> {
    const s = this.summaries.get(id(key));
    return Promise.resolve(s ? { ...s, targets: s.targets.slice(0, targets) } : null);
  }
  summarySlot(key: HeldSummaryKey): PostSlot {
    let slot = this.slots.get(id(key));
    if (!slot) {
      slot = new MemoryPostSlot((message) => {
        const s = this.summaries.get(id(key));
        if (s) this.summaries.set(id(key), { ...s, message });
      }, this.now);
      this.slots.set(id(key), slot);
    }
    return slot;
  }
  markShown(key: HeldSummaryKey, count: number): Promise<void> {
    const s = this.summaries.get(id(key));
    if (s && s.shownCount < count) this.summaries.set(id(key), { ...s, shownCount: count });
    return Promise.resolve();
  }
}

function id(key: HeldSummaryKey): string {
  return `${key.source}/${key.minute}`;
}
