import type { Redis } from 'ioredis';
import { RedisFleetCheckStore } from '../../../src/fleetChecks/RedisFleetCheckStore';
import { connectTestRedis } from '../../support/testRedis';

const DB = 9;
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

const input = { port: 80, channel: 'C1', requestedBy: 'U1', now: 1234 };

describe('RedisFleetCheckStore', () => {
  it('opens a record per command, from concurrent clients, with its scope as data', async () => {
    const stores = [new RedisFleetCheckStore(a, 3600), new RedisFleetCheckStore(b, 3600)];
    const opened = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        stores[i % 2]!.open({
          ...input,
          scope: i % 2 === 0 ? { kind: 'group', group: 'edge' } : { kind: 'all' },
        }),
      ),
    );
    expect(new Set(opened.map((c) => c.id)).size).toBe(20);
    for (const c of opened) expect(c.id).toMatch(/^FLEET-\d+$/);
    expect(opened[0]).toEqual({
      id: opened[0]!.id,
      scope: { kind: 'group', group: 'edge' },
      port: 80,
      channel: 'C1',
      rootTs: null,
      requestedBy: 'U1',
      openedAt: 1234,
    });
    expect(await stores[1]!.get(opened[1]!.id)).toEqual(opened[1]);
    expect(opened[1]?.scope).toEqual({ kind: 'all' });
    expect(await a.ttl(`portbot:fleet-check:${opened[0]!.id}`)).toBeGreaterThan(3500);
  });

  it('sets the root message once; an unknown check has none', async () => {
    const store = new RedisFleetCheckStore(a, 3600);
    const check = await store.open({ ...input, scope: { kind: 'all' } });
    const [x, y] = await Promise.all([
      store.setRoot(check.id, 'C2', '1.000100'),
      new RedisFleetCheckStore(b, 3600).setRoot(check.id, 'C2', '2.000200'),
    ]);
    expect([x, y].sort()).toEqual([false, true]);
    expect((await store.get(check.id))?.channel).toBe('C2');
    expect(await store.setRoot('FLEET-404', 'C1', '3.0')).toBe(false);
    expect(await store.get('FLEET-404')).toBeNull();
  });

  it('does not touch incident keys', async () => {
    const store = new RedisFleetCheckStore(a, 3600);
    await store.open({ ...input, scope: { kind: 'group', group: 'edge' } });
    expect(await a.keys('portbot:incident:*')).toEqual([]);
  });

  it.each([
    [
      'a missing port',
      { id: 'FLEET-7', scope: 'all', channel: 'C1', requestedBy: 'U1', openedAt: '1' },
    ],
    [
      'a port that is not a number',
      { id: 'FLEET-7', scope: 'all', port: 'x', channel: 'C1', requestedBy: 'U1', openedAt: '1' },
    ],
    [
      'a group scope without its group',
      {
        id: 'FLEET-7',
        scope: 'group',
        port: '80',
        channel: 'C1',
        requestedBy: 'U1',
        openedAt: '1',
      },
    ],
    [
      'an unknown scope',
      { id: 'FLEET-7', scope: 'some', port: '80', channel: 'C1', requestedBy: 'U1', openedAt: '1' },
    ],
  ])(
    'refuses a stored check with %s (INTERNAL), instead of making up values',
    async (_what, hash) => {
      await a.hset('portbot:fleet-check:FLEET-7', hash);
      await expect(new RedisFleetCheckStore(a, 3600).get('FLEET-7')).rejects.toMatchObject({
        code: 'INTERNAL',
        message: expect.stringContaining('fleet check FLEET-7 is not valid') as unknown,
      });
    },
  );
});
