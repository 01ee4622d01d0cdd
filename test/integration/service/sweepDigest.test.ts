import type { Redis } from 'ioredis';
import { RedisAuditLog } from '../../../src/audit/redis/RedisAuditLog';
import type { StoredMessage } from '../../../src/localSlack/localSlackTypes';
import { startLab, type Lab } from '../../lab';
import { waitFor } from '../../lab/waitFor';
import {
  startTestSlack,
  TEST_APP_TOKEN,
  type TestSlack,
} from '../../support/localSlack/startTestSlack';
import { startPortbot, type PortbotProcess } from '../../support/portbotProcess';
import { ALERT_CHANNEL, ALLOWED_USER, SIGNING_SECRET, serviceEnv } from '../../support/serviceEnv';
import { SLACK_MODES, slackTransport, type SlackTransport } from '../../support/slackTransport';
import { connectTestRedis } from '../../support/testRedis';

/**
 * Issue 11 item 1, the Slack side: real serve and worker, Redis, the lab and the local Slack.
 * The scheduled sweep (every 3 s here) posts ONE digest the first time and then only when a
 * risk is new or changed; `/port sweep` (signed HTTP, or Socket Mode) always gets its digest.
 */
const DB = 13;
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ keepalived: false });
}, 180_000);

afterAll(async () => {
  await lab?.stop();
}, 60_000);

const digestsIn = (standIn: TestSlack) =>
  standIn
    .topLevelMessages(ALERT_CHANNEL)
    .filter((m) => m.text.startsWith('🔎 Port-conflict sweep'));
const blocksText = (m: StoredMessage) => JSON.stringify(m.blocks ?? []);

describe.each(SLACK_MODES)('over %s', (mode) => {
  let standIn: TestSlack;
  let redis: Redis;
  let serve: PortbotProcess;
  let worker: PortbotProcess;
  let slack: SlackTransport;

  beforeAll(async () => {
    for (const h of ['lb-01', 'lb-02', 'lb-03']) await lab.healthy(h);
    await lab.rogueListener('lb-04');
    redis = await connectTestRedis(DB);
    standIn = await startTestSlack({
      autoCreateChannels: true,
      // postEphemeral needs a user the workspace knows
      users: [{ id: ALLOWED_USER, name: 'alice' }],
    });
    const env = serviceEnv({
      slackApiUrl: standIn.url,
      redisDb: DB,
      inventory: lab.inventoryPath,
      mode,
      extra: { PORTBOT_SWEEP_CRON: '*/3 * * * * *' },
    });
    serve = await startPortbot(['serve'], env);
    worker = await startPortbot(['worker'], env);
    slack = slackTransport(mode, {
      standIn,
      servePort: () => serve.port,
      signingSecret: SIGNING_SECRET,
      appToken: TEST_APP_TOKEN,
    });
  }, 180_000);

  afterAll(async () => {
    expect(await serve?.stop()).toBe(0);
    expect(await worker?.stop()).toBe(0);
    await standIn?.close();
    await redis?.quit();
  }, 60_000);

  /** sweep.completed audit entries so far (each scheduled or requested run writes one). */
  async function sweepsDone(): Promise<{ posted: boolean; fresh: number }[]> {
    const out: { posted: boolean; fresh: number }[] = [];
    for await (const e of new RedisAuditLog(redis).read({}))
      if (e.type === 'sweep.completed')
        out.push({ posted: e.detail.posted === true, fresh: Number(e.detail.fresh) });
    return out;
  }

  it('the first scheduled sweep posts the digest; later ones post only new risks', async () => {
    const first = await standIn.waitFor(() => digestsIn(standIn)[0], 30_000);
    // keepalived is not started in this lab: the edge VIP on no member is a risk too.
    expect(first.text).toBe('🔎 Port-conflict sweep of all: 3 risks');
    expect(blocksText(first)).toMatch(/lb-04 +80 +high +new +python3/);
    expect(blocksText(first)).toMatch(/lb-01 +- +high +new +10\.77\.0\.100/);
    expect(blocksText(first)).toMatch(/lb-02 +- +high +new +10\.77\.0\.100/);
    expect(blocksText(first)).toContain('scheduled sweep');

    // Two more scheduled runs find the same risks: they post nothing. (The first run's audit
    // entry is written after its post, so count from it, not from now.)
    await waitFor(
      'the first and two more scheduled sweeps',
      async () => (await sweepsDone()).length >= 3,
      {
        timeoutMs: 30_000,
      },
    );
    const [firstRun, ...later] = await sweepsDone();
    expect(firstRun).toEqual({ posted: true, fresh: 3 });
    expect(later.length).toBeGreaterThanOrEqual(2);
    expect(later.every((r) => !r.posted && r.fresh === 0)).toBe(true);
    expect(digestsIn(standIn)).toHaveLength(1);

    // A new risk: the next digest lists it alone.
    await lab.duplicateListen('lb-03');
    const second = await standIn.waitFor(() => digestsIn(standIn)[1], 30_000);
    expect(second.text).toBe('🔎 Port-conflict sweep of all: 1 new or changed risk');
    expect(blocksText(second)).toMatch(/lb-03 +80 +medium +new +0\.0\.0\.0:80/);
    expect(blocksText(second)).not.toContain('python3');
    expect(blocksText(second)).toContain('3 known, unchanged');
  }, 90_000);

  it('/port sweep answers in the channel even with nothing new; an unknown group is refused', async () => {
    const before = digestsIn(standIn).length;
    const r = await slack.command({
      text: 'sweep',
      user_id: ALLOWED_USER,
      channel_id: ALERT_CHANNEL,
    });
    expect(r.status).toBe(200);
    const notice = await standIn.waitFor(
      () => standIn.ephemerals(ALERT_CHANNEL).find((e) => e.text.includes('Sweeping')),
      10_000,
    );
    expect(notice).toMatchObject({ user: ALLOWED_USER });
    expect(notice.text).toContain('Sweeping 4 hosts (all)');
    const digest = await standIn.waitFor(
      () =>
        digestsIn(standIn)
          .slice(before)
          .find((m) => blocksText(m).includes(`<@${ALLOWED_USER}>`)),
      30_000,
    );
    expect(digest.text).toBe('🔎 Port-conflict sweep of all: no new risk');
    expect(blocksText(digest)).toContain('4 known, unchanged');

    const refused = await slack.command({
      text: 'sweep group:nope',
      user_id: ALLOWED_USER,
      channel_id: ALERT_CHANNEL,
    });
    expect(refused.text).toContain('unknown haGroup');
  }, 60_000);
});
