import type { Redis } from 'ioredis';
import { startTestSlack, type TestSlack } from '../support/localSlack/startTestSlack';
import { connectTestRedis } from '../support/testRedis';
import { inProcessWorkerRig, RIG_CHANNEL, sleep } from '../support/inProcessWorkerRig';

const DB = 11;
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

it('a root post Slack commits after the client timed out (12 s) is adopted, not posted again', async () => {
  const r = inProcessWorkerRig(redis, slack, DB, 'slowslack');
  const w = r.worker();
  try {
    const held = slack.hold('chat.postMessage', (p) => p.thread_ts === undefined);
    const id = await r.fireAlert('lb-01', 80);
    await held.arrived;
    await sleep(12_000);
    held.run(); // Slack finally commits the request the client gave up on after 8 s
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (await r.incidents.getDiagnosis(id)) === null) await sleep(500);
    await sleep(2000);

    const roots = slack.topLevelMessages(RIG_CHANNEL);
    expect(roots).toHaveLength(1);
    expect((await r.incidents.get(id))?.rootTs).toBe(roots[0]?.ts);
    expect(r.diagnoses()).toBe(1);
    // The HTTP client never resent the post: one root request, one evidence reply.
    const rootPosts = slack.calls('chat.postMessage').filter((c) => !c.params.thread_ts);
    expect(rootPosts).toHaveLength(1);
    expect(slack.thread(RIG_CHANNEL, roots[0]?.ts ?? '').replies).toHaveLength(1);
  } finally {
    await w.close();
    await r.queue.close();
  }
}, 90_000);
