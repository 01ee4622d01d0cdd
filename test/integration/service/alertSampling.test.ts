import type { Redis } from 'ioredis';
import { startTestSlack, type TestSlack } from '../../support/localSlack/startTestSlack';
import { startLab, type Lab } from '../../lab';
import { transientBinder } from '../../lab/occupantScenarios';
import { startPortbot, type PortbotProcess } from '../../support/portbotProcess';
import {
  ALERT_CHANNEL,
  alertmanagerPayload,
  postAlert,
  serviceEnv,
} from '../../support/serviceEnv';
import { SLACK_MODES } from '../../support/slackTransport';
import { connectTestRedis } from '../../support/testRedis';

/**
 * transient-occupant through the service: an alert says lb-03:8080 failed; the worker's snapshot
 * finds the port free, samples it (PORTBOT_SAMPLE_SECONDS) and posts who took it, when and how
 * often. Real serve and worker processes, Redis, the lab and the Slack stand-in.
 */
const DB = 13;
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ keepalived: false });
}, 180_000);

afterAll(async () => {
  await lab?.stop();
}, 60_000);

describe.each(SLACK_MODES)('over %s', (mode) => {
  let standIn: TestSlack;
  let redis: Redis;
  let serve: PortbotProcess;
  let worker: PortbotProcess;

  beforeAll(async () => {
    redis = await connectTestRedis(DB);
    await redis.flushdb();
    standIn = await startTestSlack({ autoCreateChannels: true });
    const env = serviceEnv({
      slackApiUrl: standIn.url,
      redisDb: DB,
      inventory: lab.inventoryPath,
      mode,
      extra: { PORTBOT_SAMPLE_SECONDS: '6' },
    });
    serve = await startPortbot(['serve'], env);
    worker = await startPortbot(['worker'], env);
  }, 180_000);

  afterAll(async () => {
    expect(await serve?.stop()).toBe(0);
    expect(await worker?.stop()).toBe(0);
    await standIn?.close();
    await redis?.quit();
  }, 60_000);

  it('an alert on a port that is free when probed: sampled, transient-occupant names the binder', async () => {
    const pid = await transientBinder(lab, 'lb-03', 8080);
    const answer = await postAlert(serve.port, alertmanagerPayload('firing', '10.77.0.13:8080'));
    expect(answer.status).toBe(202);
    const root = await standIn.waitFor(() => {
      const m = standIn
        .topLevelMessages(ALERT_CHANNEL)
        .find((x) => x.text.includes('lb-03:8080') && x.text.includes('transient-occupant'));
      return m;
    }, 60_000);
    expect(root.text).toMatch(
      new RegExp(
        `python3 \\(pid ${pid}\\) listened on it (once|\\d+ times) in \\d+\\.\\d s of sampling`,
      ),
    );
    const thread = await standIn.waitFor(() => {
      const t = standIn.thread(ALERT_CHANNEL, root.ts);
      return t.replies.length > 0 ? t : undefined;
    }, 10_000);
    // the evidence reply carries the samples
    expect(JSON.stringify(thread.replies[0]?.blocks ?? [])).toMatch(/every 100 ms for 6 s/);
  }, 120_000);
});
