import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { RedisAuditLog } from '../../../src/audit/redis/RedisAuditLog';
import { verifyAuditLog } from '../../../src/audit/redis/verifyAuditLog';
import { DIAGNOSE_QUEUE } from '../../../src/queue/jobTypes';
import {
  startTestSlack,
  TEST_APP_TOKEN,
  type TestSlack,
} from '../../support/localSlack/startTestSlack';
import type { StoredMessage } from '../../../src/localSlack/localSlackTypes';
import { startLab, type Lab } from '../../lab';
import { startPortbot, type PortbotProcess } from '../../support/portbotProcess';
import {
  ALERT_CHANNEL,
  ALERT_TOKEN,
  ALLOWED_USER,
  SIGNING_SECRET,
  alertmanagerPayload,
  postAlert,
  serviceEnv,
} from '../../support/serviceEnv';
import { signSlackRequest, slashCommandBody } from '../../support/signSlackRequest';
import {
  postSigned,
  SLACK_MODES,
  slackTransport,
  type SlackTransport,
} from '../../support/slackTransport';
import { connectTestRedis } from '../../support/testRedis';

/**
 * Alertmanager and /port in, one Slack thread per incident out: real processes, Redis, lab,
 * stand-in. Every test runs twice, with Slack reaching serve over signed HTTP and over Socket
 * Mode; what only one transport has (signatures and replays, reconnects) is tested in that mode.
 */
const DB = 12;
/** The only workspace the policy allows (slashCommandBody's default team). */
const TEAM = 'T0PORTBOT';
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
  let diagnoseQueue: Queue;
  let slack: SlackTransport;

  beforeAll(async () => {
    await lab.healthy('lb-01');
    await lab.healthy('lb-02');
    redis = await connectTestRedis(DB);
    standIn = await startTestSlack({ autoCreateChannels: true });
    const env = serviceEnv({
      slackApiUrl: standIn.url,
      redisDb: DB,
      inventory: lab.inventoryPath,
      mode,
      workspaces: [TEAM],
    });
    serve = await startPortbot(['serve'], env);
    worker = await startPortbot(['worker'], env);
    diagnoseQueue = new Queue(DIAGNOSE_QUEUE, { connection: redis, prefix: 'portbot' });
    slack = slackTransport(mode, {
      standIn,
      servePort: () => serve.port,
      signingSecret: SIGNING_SECRET,
      appToken: TEST_APP_TOKEN,
    });
  }, 180_000);

  afterAll(async () => {
    if (mode === 'socket' && standIn) {
      console.log(
        `Socket Mode acks (alertThread): ${JSON.stringify(standIn.socketMode.ackFigures())}`,
      );
    }
    expect(await serve?.stop()).toBe(0);
    expect(await worker?.stop()).toBe(0);
    await diagnoseQueue?.close();
    await standIn?.close();
    await redis?.quit();
  }, 60_000);

  const tops = () => standIn.topLevelMessages(ALERT_CHANNEL);
  const rootFor = (target: string) => tops().filter((m) => m.text.includes(target));
  const blocksText = (m: StoredMessage) => JSON.stringify(m.blocks ?? []);

  async function queuedJobs(): Promise<number> {
    const c = await diagnoseQueue.getJobCounts(
      'waiting',
      'active',
      'delayed',
      'completed',
      'failed',
      'prioritized',
    );
    return Object.values(c).reduce((a, b) => a + b, 0);
  }

  describe('alert → one thread per incident', () => {
    it('diagnoses a rogue listener once, counts 100 repeats, marks the resolution', async () => {
      const pid = await lab.rogueListener('lb-01');
      const first = await postAlert(serve.port, alertmanagerPayload('firing', '10.77.0.11:80'));
      expect(first.status).toBe(202);
      expect(first.json).toMatchObject({
        accepted: 1,
        results: [{ outcome: 'opened', host: 'lb-01', port: 80 }],
      });

      const root = await standIn.waitFor(() => {
        const m = rootFor('lb-01:80')[0];
        return m?.text.includes('foreign-listener') ? m : undefined;
      }, 30_000);
      expect(root.text).toContain(`python3 (pid ${pid}`);
      const thread = await standIn.waitFor(() => {
        const t = standIn.thread(ALERT_CHANNEL, root.ts);
        return t.replies.length > 0 ? t : undefined;
      }, 10_000);
      expect(thread.replies).toHaveLength(1);
      expect(blocksText(thread.replies[0]!)).toContain('ss');

      const started = Date.now();
      for (let batch = 0; batch < 10; batch++) {
        const answers = await Promise.all(
          Array.from({ length: 10 }, () =>
            postAlert(serve.port, alertmanagerPayload('firing', '10.77.0.11:80')),
          ),
        );
        expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
      }
      expect(Date.now() - started).toBeLessThan(10_000);
      await standIn.waitFor(() => {
        const m = standIn.message(ALERT_CHANNEL, root.ts);
        return m && blocksText(m).includes('alert fired 101 times') ? m : undefined;
      }, 15_000);
      expect(rootFor('lb-01:80')).toHaveLength(1);
      expect(standIn.thread(ALERT_CHANNEL, root.ts).replies).toHaveLength(1);
      // one root + one evidence reply; the counter coalesces into a handful of updates
      const roots = standIn
        .calls('chat.postMessage')
        .filter((c) => !c.params.thread_ts && String(c.params.text).includes('lb-01:80'));
      expect(roots).toHaveLength(1);
      expect(standIn.calls('chat.update').length).toBeLessThan(25);

      const resolved = await postAlert(
        serve.port,
        alertmanagerPayload('resolved', '10.77.0.11:80'),
      );
      expect(resolved.json).toMatchObject({ results: [{ outcome: 'resolved' }] });
      const closed = await standIn.waitFor(() => {
        const m = standIn.message(ALERT_CHANNEL, root.ts);
        return m?.text.startsWith('✅ resolved') ? m : undefined;
      }, 15_000);
      expect(blocksText(closed)).toMatch(/Resolved\* after \d+s/);
      expect(rootFor('lb-01:80')).toHaveLength(1);
    }, 120_000);

    it('answers 202 with a reason for a host outside the inventory, 401 for a bad token, 400 for junk', async () => {
      const unknown = await postAlert(serve.port, alertmanagerPayload('firing', '10.9.9.9:443'));
      expect(unknown.status).toBe(202);
      expect(unknown.json).toMatchObject({
        results: [{ outcome: 'ignored', reason: expect.stringContaining('10.9.9.9') as unknown }],
      });
      expect(
        (await postAlert(serve.port, alertmanagerPayload('firing', '10.77.0.11:80'), 'wrong-token'))
          .status,
      ).toBe(401);
      expect((await postAlert(serve.port, { alerts: 'nope' })).status).toBe(400);
    });

    it('Slack answering 429 then 200 still delivers the root message once', async () => {
      await lab.lbDownPortFree('lb-02');
      standIn.failNext('chat.postMessage', { status: 429, retryAfterSec: 1 });
      await postAlert(
        serve.port,
        { host: 'lb-02', port: 8443, status: 'firing', summary: 'probe failed' },
        undefined,
        'generic',
      );
      const root = await standIn.waitFor(() => {
        const m = rootFor('lb-02:8443')[0];
        return m?.text.includes('port-free-lb-down') ? m : undefined;
      }, 30_000);
      expect(rootFor('lb-02:8443')).toHaveLength(1);
      expect(root.ts).toBeTruthy();
      expect(standIn.calls('chat.postMessage').some((c) => c.status === 429)).toBe(true);
    }, 60_000);
  });

  describe('health, metrics and HTTP edges', () => {
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${serve.port}${path}`);
      return { status: res.status, text: await res.text() };
    };

    it('answers /healthz, /readyz (Redis and Slack auth) and /metrics', async () => {
      expect(await get('/healthz')).toEqual({ status: 200, text: '{"ok":true}' });
      const ready = await get('/readyz');
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.text)).toEqual({ ok: true, checks: { redis: true, slack: true } });
      const metrics = await get('/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(
        /portbot_alerts_received_total\{source="alertmanager",outcome="opened"\} \d+/,
      );
      expect(metrics.text).toMatch(/^portbot_incidents_open \d+$/m);
      expect(metrics.text).toContain('portbot_jobs{queue="diagnose",state="completed"}');
    });

    it('refuses oversized bodies (413), unknown sources (404) and GET on alerts (405)', async () => {
      const big = await fetch(`http://127.0.0.1:${serve.port}/alerts/generic`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERT_TOKEN}` },
        body: JSON.stringify({ host: 'lb-01', port: 80, summary: 'x'.repeat(300 * 1024) }),
      });
      expect(big.status).toBe(413);
      expect((await postAlert(serve.port, {}, ALERT_TOKEN, 'zabbix')).status).toBe(404);
      expect((await get('/alerts/generic')).status).toBe(405);
    });
  });

  describe('/port slash command', () => {
    const slash = (text: string, user = ALLOWED_USER) =>
      slack.command({ text, user_id: user, channel_id: ALERT_CHANNEL });

    it('check lb-01 80 posts the diagnosis in a thread', async () => {
      standIn.reset();
      const pid = await lab.rogueListener('lb-01');
      const r = await slash('check lb-01 80');
      expect(r.status).toBe(200);
      const root = await standIn.waitFor(() => {
        const m = tops().find(
          (t) =>
            t.text.includes('lb-01:80') &&
            t.text.includes('foreign-listener') &&
            !t.text.startsWith('✅'),
        );
        return m;
      }, 30_000);
      expect(root.text).toContain(`pid ${pid}`);
      await standIn.waitFor(
        () => (standIn.thread(ALERT_CHANNEL, root.ts).replies.length === 1 ? true : undefined),
        10_000,
      );
    }, 60_000);

    it('check group:edge 80 posts ONE summary thread with a reply per problem host', async () => {
      standIn.reset();
      await lab.healthy('lb-01');
      const pid = await lab.rogueListener('lb-02');
      expect((await slash('check group:edge 80')).status).toBe(200);
      const root = await standIn.waitFor(() => {
        const m = tops().find((t) => t.text.includes('group:edge'));
        return m && blocksText(m).includes('2 hosts') ? m : undefined;
      }, 30_000);
      const replies = await standIn.waitFor(() => {
        const r = standIn.thread(ALERT_CHANNEL, root.ts).replies;
        return r.length > 0 ? r : undefined;
      }, 10_000);
      expect(tops()).toHaveLength(1);
      expect(replies).toHaveLength(1);
      expect(replies[0]?.text).toContain(`lb-02:80 foreign-listener`);
      expect(replies[0]?.text).toContain(`pid ${pid}`);
    }, 60_000);

    it('refuses unknown hosts, bad ports, strangers and shell text with a reason, queueing nothing', async () => {
      const before = await queuedJobs();
      const unknown = await slash('check lb-99 80');
      expect(unknown.status).toBe(200);
      expect(unknown.text).toContain('unknown host');
      const badPort = await slash('check lb-01 70000');
      expect(badPort.text).toContain('port must be an integer 1-65535');
      const stranger = await slash('check lb-01 80', 'U0MALLORY');
      expect(stranger.text).toContain("can't run /port");
      const hostile = await slash('check lb-01 80; touch /tmp/pwned');
      expect(hostile.status).toBe(200);
      expect(hostile.text).not.toBe('');
      await new Promise((r) => setTimeout(r, 500));
      expect((await queuedJobs()) - before).toBe(0);
    }, 60_000);

    it('refuses a command from a workspace the policy does not allow, queueing nothing', async () => {
      const before = await queuedJobs();
      const ephemerals = standIn.ephemerals(ALERT_CHANNEL).length;
      const foreign = await slack.command({
        text: 'check lb-01 80',
        user_id: ALLOWED_USER,
        channel_id: ALERT_CHANNEL,
        team_id: 'T0ELSEWHERE',
      });
      // HTTP: refused before Bolt (403). Socket Mode: Bolt acks with nothing, runs no handler.
      expect(foreign).toEqual(
        mode === 'http'
          ? { status: 403, text: JSON.stringify({ error: 'this workspace may not use portbot' }) }
          : { status: 200, text: '' },
      );
      await new Promise((r) => setTimeout(r, 500));
      expect((await queuedJobs()) - before).toBe(0);
      expect(standIn.ephemerals(ALERT_CHANNEL)).toHaveLength(ephemerals);
    }, 60_000);

    if (mode === 'http') {
      it('refuses forged, stale and replayed requests, queueing only the one signed request', async () => {
        const before = await queuedJobs();
        const body = slashCommandBody({
          text: 'check lb-01 80',
          user_id: ALLOWED_USER,
          channel_id: ALERT_CHANNEL,
        });
        const post = (secret: string, ts?: number) =>
          postSigned(serve.port, body, SIGNING_SECRET, signSlackRequest(secret, body, ts));
        expect((await post('not-the-secret-at-all')).status).toBe(401);
        expect((await post(SIGNING_SECRET, Math.floor(Date.now() / 1000) - 301)).status).toBe(401);
        const headers = signSlackRequest(SIGNING_SECRET, body);
        expect((await postSigned(serve.port, body, SIGNING_SECRET, headers)).status).toBe(200);
        const replay = await postSigned(serve.port, body, SIGNING_SECRET, headers);
        expect(replay.text).toContain('already received');
        await new Promise((r) => setTimeout(r, 500));
        expect((await queuedJobs()) - before).toBe(1);
      }, 60_000);
    }

    if (mode === 'socket') {
      it('after Slack asks for a refresh (disconnect), serve reconnects and answers over the new socket', async () => {
        const sockets = standIn.socketMode.connections(TEST_APP_TOKEN);
        expect(standIn.socketMode.openConnections(TEST_APP_TOKEN)).toHaveLength(1);
        expect(standIn.socketMode.requestRefresh(TEST_APP_TOKEN)).toBe(1);
        await standIn.socketMode.waitForConnections(TEST_APP_TOKEN, sockets.length + 1);
        const open = standIn.socketMode.openConnections(TEST_APP_TOKEN);
        expect(open).toHaveLength(1);
        expect(open[0]?.id).not.toBe(sockets.at(-1)?.id);
        expect(
          standIn.socketMode.connections(TEST_APP_TOKEN)[sockets.length - 1]?.closedAt,
        ).toBeDefined();
        const unknown = await slash('check lb-99 80');
        expect(unknown.text).toContain('unknown host');
        const last = standIn.socketMode.deliveries().at(-1);
        expect(last?.connections).toEqual([open[0]?.id]);
      }, 60_000);
    }
  });

  describe('audit log', () => {
    it('holds an unbroken chain with the alerts, commands and diagnoses of this suite', async () => {
      const log = new RedisAuditLog(redis);
      const types = new Set<string>();
      for await (const e of log.read({})) types.add(e.type);
      for (const t of [
        'alert.opened',
        'alert.resolved',
        'alert.ignored',
        'command.run',
        'command.refused',
        'diagnosis.posted',
      ]) {
        expect(types).toContain(t);
      }
      const verdict = await verifyAuditLog(log);
      expect(verdict.ok).toBe(true);
    });
  });
});
