import type { Redis } from 'ioredis';
import type { Diagnosis } from '../../../src/domain/diagnosis';
import { unreachableDiagnosis } from '../../../src/diagnosis/unreachableDiagnosis';
import { RedisIncidentStore } from '../../../src/incidents/RedisIncidentStore';
import { diagnosisFixture } from '../../support/diagnosisFixture';
import { connectTestRedis } from '../../support/testRedis';

const DB = 11;
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

const firing = (host: string, port: number, now: number) => ({
  host,
  port,
  channel: 'C0ALERTS',
  summary: `${host}:${port} down`,
  now,
  rediagnoseIntervalMs: 60_000,
});

describe('RedisIncidentStore', () => {
  it('opens exactly one incident per host:port under concurrent repeats from two clients', async () => {
    const stores = [new RedisIncidentStore(a, 3600), new RedisIncidentStore(b, 3600)];
    const now = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        stores[i % 2]!.recordFiring(firing(`lb-${i % 10}`, 80, now)),
      ),
    );
    const opened = outcomes.filter((o) => o.kind === 'opened');
    expect(opened).toHaveLength(10);
    expect(new Set(opened.map((o) => o.incident.host)).size).toBe(10);
    const store = stores[0]!;
    for (const o of opened) expect((await store.get(o.incident.id))?.alertCount).toBe(40);
    // within the interval, repeats never ask for another diagnosis
    expect(outcomes.filter((o) => o.kind === 'repeat' && o.diagnose)).toHaveLength(0);
    expect(await store.countOpen()).toBe(10);
  });

  it('re-diagnoses at most once per interval', async () => {
    const store = new RedisIncidentStore(a, 3600);
    const t0 = 1_000_000;
    await store.recordFiring(firing('lb-01', 443, t0));
    const later = await Promise.all([
      store.recordFiring(firing('lb-01', 443, t0 + 61_000)),
      store.recordFiring(firing('lb-01', 443, t0 + 61_001)),
    ]);
    expect(later.map((o) => o.kind === 'repeat' && o.diagnose).sort()).toEqual([false, true]);
  });

  it('resolution closes the incident; a new firing opens a new one', async () => {
    const store = new RedisIncidentStore(a, 3600);
    const first = await store.recordFiring(firing('lb-01', 80, 1000));
    const resolved = await store.recordResolved({ host: 'lb-01', port: 80, now: 5000 });
    expect(resolved).toMatchObject({
      kind: 'resolved',
      incident: { id: first.incident.id, status: 'resolved', resolvedAt: 5000 },
    });
    expect(await store.recordResolved({ host: 'lb-01', port: 80, now: 6000 })).toEqual({
      kind: 'not-open',
    });
    const again = await store.recordFiring(firing('lb-01', 80, 7000));
    expect(again.kind).toBe('opened');
    expect(again.incident.id).not.toBe(first.incident.id);
  });

  it('sets the root message once and claims a key once', async () => {
    const store = new RedisIncidentStore(a, 3600);
    const { incident } = await store.recordFiring(firing('lb-02', 80, 1000));
    expect(await store.setRoot(incident.id, 'C1', '1.000100')).toBe(true);
    expect(await store.setRoot(incident.id, 'C1', '2.000200')).toBe(false);
    expect((await store.get(incident.id))?.rootTs).toBe('1.000100');
    expect(await store.setRoot('INC-404', 'C1', '3.0')).toBe(false);
    const claims = await Promise.all([store.claimOnce('k', 10_000), store.claimOnce('k', 10_000)]);
    expect(claims.sort()).toEqual([false, true]);
  });

  it('opens a manual check as its own record every time', async () => {
    const store = new RedisIncidentStore(a, 3600);
    const input = {
      host: 'lb-01',
      port: 80,
      channel: 'C1',
      summary: '/port check',
      requestedBy: 'U1',
      now: 1,
    };
    const [x, y] = await Promise.all([store.openCheck(input), store.openCheck(input)]);
    expect(x.id).toMatch(/^CHK-\d+$/);
    expect(y.id).not.toBe(x.id);
    expect(x).toMatchObject({
      host: 'lb-01',
      port: 80,
      channel: 'C1',
      status: 'open',
      rootTs: null,
      requestedBy: 'U1',
    });
    expect(await store.countOpen()).toBe(0);
  });

  it('keeps working after Redis forgets its scripts (restart or SCRIPT FLUSH)', async () => {
    const store = new RedisIncidentStore(a, 3600);
    const first = await store.recordFiring(firing('lb-07', 80, 1));
    await a.script('FLUSH');
    const again = await store.recordFiring(firing('lb-07', 80, 2));
    expect(again).toMatchObject({
      kind: 'repeat',
      incident: { id: first.incident.id, alertCount: 2 },
    });
  });

  it('stores a diagnosis and reads it back as the same typed value', async () => {
    const store = new RedisIncidentStore(a, 3600);
    const { incident } = await store.recordFiring(firing('lb-02', 443, 1000));
    const refused = unreachableDiagnosis(
      'lb-02',
      443,
      { code: 'SSH_REFUSED', message: 'connection refused' },
      3,
    );
    for (const d of [diagnosisFixture('foreign-listener'), diagnosisFixture('healthy'), refused]) {
      await store.saveDiagnosis(incident.id, d);
      expect(await store.getDiagnosis(incident.id)).toEqual(d);
    }
    expect((await store.getDiagnosis(incident.id))?.failure).toEqual({
      code: 'SSH_REFUSED',
      transient: true,
    });
  });

  it('answers the incident as it stands after the save, repeats counted meanwhile included', async () => {
    const store = new RedisIncidentStore(a, 3600);
    const { incident } = await store.recordFiring(firing('lb-03', 80, 1000));
    await store.recordFiring(firing('lb-03', 80, 2000));
    const saved = await store.saveDiagnosis(incident.id, diagnosisFixture('healthy'));
    expect(saved).toMatchObject({ id: incident.id, alertCount: 2, status: 'open' });
  });

  it('does not recreate an expired incident to store its diagnosis', async () => {
    const store = new RedisIncidentStore(a, 3600);
    expect(await store.saveDiagnosis('INC-404', diagnosisFixture('healthy'))).toBeNull();
    expect(await a.exists('portbot:incident:INC-404')).toBe(0);
    expect(await store.getDiagnosis('INC-404')).toBeNull();
  });

  it('reads a diagnosis stored before `failure` existed as failure: null', async () => {
    const store = new RedisIncidentStore(a, 3600);
    const { incident } = await store.recordFiring(firing('lb-04', 80, 1000));
    const older: Partial<Diagnosis> = diagnosisFixture('foreign-listener');
    delete older.failure;
    await a.hset(`portbot:incident:${incident.id}`, 'diagnosis', JSON.stringify(older));
    const read: Diagnosis | null = await store.getDiagnosis(incident.id);
    expect(read).toEqual({ ...older, failure: null });
  });

  it.each([
    ['not JSON', '{"host": '],
    ['a wrong shape', JSON.stringify({ host: 'lb-05', verdict: 'on-fire' })],
  ])('refuses a stored diagnosis that is %s with an INTERNAL error', async (_what, stored) => {
    const store = new RedisIncidentStore(a, 3600);
    const { incident } = await store.recordFiring(firing('lb-05', 80, 1000));
    await a.hset(`portbot:incident:${incident.id}`, 'diagnosis', stored);
    await expect(store.getDiagnosis(incident.id)).rejects.toMatchObject({
      name: 'PortbotError',
      code: 'INTERNAL',
    });
  });
});
