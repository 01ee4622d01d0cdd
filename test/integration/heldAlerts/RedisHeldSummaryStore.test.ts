import type { Redis } from 'ioredis';
import type { HeldBatch } from '../../../src/heldAlerts/HeldSummary';
import {
  HELD_TARGETS_TRACKED,
  RedisHeldSummaryStore,
} from '../../../src/heldAlerts/RedisHeldSummaryStore';
import { connectTestRedis } from '../../support/testRedis';

const DB = 3;
let a: Redis;
let b: Redis;

beforeAll(async () => {
  a = await connectTestRedis(DB);
  b = await connectTestRedis(DB);
});
afterAll(async () => {
  await a.quit();
  await b.quit();
});
beforeEach(async () => {
  await a.flushdb();
});

const MINUTE = 29_491_274;
const batch = (ports: number[], atMs = MINUTE * 60_000 + 1000): HeldBatch => ({
  source: 'alertmanager',
  channel: 'C1',
  perMinute: 3,
  atMs,
  targets: ports.map((port) => ({ host: 'lb-01', port })),
});

describe('RedisHeldSummaryStore', () => {
  it('sums the holds of concurrent serves into one summary per source and minute', async () => {
    const stores = [new RedisHeldSummaryStore(a, 600), new RedisHeldSummaryStore(b, 600)];
    const keys = await Promise.all(
      Array.from({ length: 10 }, (_, i) => stores[i % 2]!.recordHeld(batch([8000 + (i % 4)]))),
    );
    for (const k of keys) expect(k).toEqual({ source: 'alertmanager', minute: MINUTE });
    const s = await stores[0]!.get(keys[0]!, 10);
    expect(s).toMatchObject({
      key: { source: 'alertmanager', minute: MINUTE },
      channel: 'C1',
      count: 10,
      perMinute: 3,
      distinctTargets: 4,
      targetsComplete: true,
      message: null,
      shownCount: 0,
    });
    expect(new Set(s?.targets.map((t) => t.port))).toEqual(new Set([8000, 8001, 8002, 8003]));
    expect(await a.ttl(`portbot:held:alertmanager:${MINUTE}`)).toBeGreaterThan(590);
    expect(await a.ttl(`portbot:held:alertmanager:${MINUTE}:targets`)).toBeGreaterThan(590);

    // The next minute and another source are summaries of their own.
    const next = await stores[1]!.recordHeld(batch([9000], (MINUTE + 1) * 60_000));
    const other = await stores[1]!.recordHeld({ ...batch([9000]), source: 'generic' });
    expect(next).toEqual({ source: 'alertmanager', minute: MINUTE + 1 });
    expect((await stores[0]!.get(next, 10))?.count).toBe(1);
    expect((await stores[0]!.get(other, 10))?.count).toBe(1);
    expect((await stores[0]!.get(keys[0]!, 10))?.count).toBe(10);
  });

  it('keeps the first targets in the order held, and says when there were more than it tracks', async () => {
    const store = new RedisHeldSummaryStore(a, 600);
    const key = await store.recordHeld(batch([7, 3, 5, 3]));
    const s = await store.get(key, 2);
    expect(s?.targets).toEqual([
      { host: 'lb-01', port: 7 },
      { host: 'lb-01', port: 3 },
    ]);
    expect(s).toMatchObject({ count: 4, distinctTargets: 3, targetsComplete: true });

    const flood = Array.from({ length: HELD_TARGETS_TRACKED + 50 }, (_, i) => 10_000 + i);
    await store.recordHeld(batch(flood));
    const after = await store.get(key, 0);
    expect(after).toMatchObject({
      count: 4 + flood.length,
      distinctTargets: HELD_TARGETS_TRACKED,
      targetsComplete: false,
      targets: [],
    });
  });

  it('posts once through its slot, records what the message shows and never lowers it', async () => {
    const store = new RedisHeldSummaryStore(a, 600);
    const key = await store.recordHeld(batch([1, 2]));
    const slot = store.summarySlot(key);
    expect(await slot.claim('job-1', 30_000)).toEqual({ state: 'claimed' });
    expect(await slot.record('C1', '1700000000.000100')).toEqual({
      channel: 'C1',
      ts: '1700000000.000100',
    });
    expect(await store.summarySlot(key).claim('job-2', 30_000)).toEqual({
      state: 'posted',
      channel: 'C1',
      ts: '1700000000.000100',
    });
    await store.markShown(key, 2);
    await store.markShown(key, 1);
    expect(await store.get(key, 10)).toMatchObject({
      message: { channel: 'C1', ts: '1700000000.000100' },
      shownCount: 2,
    });
  });

  it('an expired summary reads as null and its slot as gone; a damaged one fails loudly', async () => {
    const store = new RedisHeldSummaryStore(a, 600);
    const key = { source: 'alertmanager', minute: 1 };
    expect(await store.get(key, 10)).toBeNull();
    expect(await store.summarySlot(key).claim('job', 30_000)).toEqual({ state: 'gone' });
    await store.markShown(key, 5); // creates nothing
    expect(await a.exists('portbot:held:alertmanager:1')).toBe(0);

    const real = await store.recordHeld(batch([1]));
    await a.zadd(`portbot:held:alertmanager:${real.minute}:targets`, 99, 'not json');
    await expect(store.get(real, 10)).rejects.toThrow(/held target .* is not valid/);
    await a.hset(`portbot:held:alertmanager:${real.minute}`, 'count', 'lots');
    await expect(store.get(real, 10)).rejects.toThrow(/held summary .* is not valid/);
  });
});
