import type { Redis } from 'ioredis';
import { startTestSlack, type TestSlack } from '../support/localSlack/startTestSlack';
import { connectTestRedis } from '../support/testRedis';
import { inProcessWorkerRig, RIG_CHANNEL, sleep } from '../support/inProcessWorkerRig';

const DB = 13;
let slack: TestSlack;
let redis: Redis;
beforeAll(async () => {
  redis = await connectTestRedis(DB);
  slack = await startTestSlack({ autoCreateChannels: true });
});
afterEach(() => slack.reset());
afterAll(async () => {
  await slack?.close();
  await redis?.quit();
});

async function until(what: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(250);
  }
}

it('a permanent Slack error on the evidence reply stops the job: one diagnosis, one refused post', async () => {
  const r = inProcessWorkerRig(redis, slack, DB, 'permerr');
  const w = r.worker();
  try {
    const held = slack.hold('chat.postMessage', (p) => p.thread_ts !== undefined);
    await r.fireAlert('lb-01', 80);
    await held.arrived;
    slack.failNext('chat.postMessage', { error: 'invalid_blocks', times: 1000 });
    held.drop(); // the reply may or may not have landed: the job must wait, search, retry
    await until(
      () => r.log.lines.some((l) => l.includes('job failed') && l.includes('invalid_blocks')),
      60_000,
    );
    await sleep(5000);

    expect(r.diagnoses()).toBe(1);
    const refused = slack.calls('chat.postMessage').filter((c) => c.error === 'invalid_blocks');
    expect(refused).toHaveLength(1);
    expect(slack.topLevelMessages(RIG_CHANNEL)).toHaveLength(1);
  } finally {
    await w.close();
    await r.queue.close();
  }
}, 90_000);

it('a transient Slack error after the diagnosis: retries post the saved diagnosis, the host is asked once', async () => {
  const r = inProcessWorkerRig(redis, slack, DB, 'transerr');
  const w = r.worker();
  try {
    slack.failNext('chat.update', { error: 'internal_error', times: 3 });
    const id = await r.fireAlert('lb-02', 80);
    await until(async () => {
      const root = (await r.incidents.get(id))?.rootTs;
      return !!root && slack.thread(RIG_CHANNEL, root).replies.length === 1;
    }, 60_000);

    expect(r.diagnoses()).toBe(1);
    const roots = slack.topLevelMessages(RIG_CHANNEL);
    expect(roots).toHaveLength(1);
    expect(roots[0]?.text).toContain('healthy');
    expect(slack.calls('chat.update').filter((c) => !c.ok)).toHaveLength(3);
  } finally {
    await w.close();
    await r.queue.close();
  }
}, 90_000);
