import type { Redis } from 'ioredis';
import { startTestSlack, type TestSlack } from '../support/localSlack/startTestSlack';
import { connectTestRedis } from '../support/testRedis';
import { inProcessWorkerRig, RIG_CHANNEL, sleep } from '../support/inProcessWorkerRig';

const DB = 12;
let slack: TestSlack;
let redis: Redis;
beforeAll(async () => {
  redis = await connectTestRedis(DB);
  slack = await startTestSlack({ autoCreateChannels: true });
});
afterAll(async () => {
  await slack?.close();
  await redis?.quit();
});

it('two workers, 10 incidents × 2 alerts, re-diagnosis interval 0: one root per incident', async () => {
  const r = inProcessWorkerRig(redis, slack, DB, 'storm');
  const workers = [r.worker(), r.worker()];
  try {
    const ids = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const id = await r.fireAlert(`h${i}`, 80, 0);
        await r.fireAlert(`h${i}`, 80, 0);
        return id;
      }),
    );
    // 1 message/s per channel: 10 roots + 2 × (update + reply) per incident ≈ 50 s.
    const deadline = Date.now() + 80_000;
    const diagnosed = async () =>
      (await Promise.all(ids.map((id) => r.incidents.getDiagnosis(id)))).every((d) => d !== null);
    while (Date.now() < deadline && !(await diagnosed())) await sleep(1000);
    expect(await diagnosed()).toBe(true);
    await sleep(3000);

    const roots = slack.topLevelMessages(RIG_CHANNEL);
    const perIncident = new Map<string, number>();
    for (const m of roots) {
      const marker = m.metadata as { event_payload?: { incident_id?: string } } | undefined;
      const id = marker?.event_payload?.incident_id ?? 'unmarked';
      perIncident.set(id, (perIncident.get(id) ?? 0) + 1);
    }
    expect([...perIncident.keys()].sort()).toEqual([...ids].sort());
    expect([...perIncident.values()].every((n) => n === 1)).toBe(true);
    for (const id of ids)
      expect((await r.incidents.get(id))?.rootTs).toBe(
        roots.find((m) => JSON.stringify(m.metadata).includes(`"${id}"`))?.ts,
      );
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await r.queue.close();
  }
}, 120_000);
