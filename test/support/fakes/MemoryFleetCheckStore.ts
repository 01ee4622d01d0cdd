import type { FleetCheck, FleetCheckStore } from '../../../src/fleetChecks/FleetCheck';
import type { PostSlot } from '../../../src/domain/PostSlot';
import { MemoryPostSlot } from './MemoryPostSlot';

/** In-memory FleetCheckStore for unit tests (the Redis one has its own integration tests). */
export class MemoryFleetCheckStore implements FleetCheckStore {
  readonly checks = new Map<string, FleetCheck>();
  private seq = 0;
  private readonly slots = new Map<string, MemoryPostSlot>();

  open(input: Parameters<FleetCheckStore['open']>[0]): Promise<FleetCheck> {
    const check: FleetCheck = {
      id: `FLEET-${++this.seq}`,
      scope: input.scope,
      port: input.port,
      channel: input.channel,
      rootTs: null,
      requestedBy: input.requestedBy,
      openedAt: input.now,
    };
    this.checks.set(check.id, check);
    return Promise.resolve({ ...check });
  }
  get(id: string): Promise<FleetCheck | null> {
    const c = this.checks.get(id);
    return Promise.resolve(c ? { ...c } : null);
  }
  setRoot(id: string, channel: string, ts: string): Promise<boolean> {
    const c = this.checks.get(id);
    if (!c || c.rootTs) return Promise.resolve(false);
    this.checks.set(id, { ...c, channel, rootTs: ts });
    return Promise.resolve(true);
  }
  rootSlot(id: string): PostSlot {
    let slot = this.slots.get(id);
    if (!slot) {
      slot = new MemoryPostSlot(({ channel, ts }) => {
        const c = this.checks.get(id);
        if (c) this.checks.set(id, { ...c, channel, rootTs: ts });
      });
      this.slots.set(id, slot);
    }
    return slot;
  }
}
