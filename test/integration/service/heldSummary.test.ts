import type { Redis } from 'ioredis';
import { RedisAuditLog } from '../../../src/audit/redis/RedisAuditLog';
import type { StoredMessage } from '../../../src/localSlack/localSlackTypes';
import { startLab, type Lab } from '../../lab';
import { waitForThreads } from '../../support/faultRig';
import { startTestSlack, type TestSlack } from '../../support/localSlack/startTestSlack';
import { startPortbot, type PortbotProcess } from '../../support/portbotProcess';
import {
  ALERT_CHANNEL,
  alertmanagerPayload,
  postAlert,
  serviceEnv,
} from '../../support/serviceEnv';
import { connectTestRedis } from '../../support/testRedis';

/**
 * Issue 10 item 12, the Slack side of the new-incident cap: real serve and worker, Redis, the
 * lab and the local Slack. Alerts held back end in ONE channel message per source and minute.
 */
const DB = 2;
const CAP = 3;
let lab: Lab;
let standIn: TestSlack;
let redis: Redis;
let serve: PortbotProcess;
let worker: PortbotProcess;

beforeAll(async () => {
  lab = await startLab({ keepalived: false });
  redis = await connectTestRedis(DB);
  standIn = await startTestSlack({ autoCreateChannels: true });
  const env = serviceEnv({
    slackApiUrl: standIn.url,
    redisDb: DB,
    inventory: lab.inventoryPath,
    extra: { PORTBOT_NEW_INCIDENTS_PER_MINUTE: String(CAP) },
  });
  serve = await startPortbot(['serve'], env);
  worker = await startPortbot(['worker'], env);
}, 180_000);

afterAll(async () => {
  expect(await serve?.stop()).toBe(0);
  expect(await worker?.stop()).toBe(0);
  await standIn?.close();
  await redis?.quit();
  await lab?.stop();
}, 60_000);

const PORTS = Array.from({ length: 10 }, (_, i) => 8001 + i);

/** One Alertmanager payload firing for lb-01 (10.77.0.11) on every port of PORTS. */
function tenAlerts() {
  const one = alertmanagerPayload('firing', '10.77.0.11:8001');
  return {
    ...one,
    alerts: PORTS.map((p) => ({
      ...one.alerts[0]!,
      labels: { ...one.alerts[0]!.labels, instance: `10.77.0.11:${p}` },
      fingerprint: `fp-${p}`,
    })),
  };
}

interface Reply {
  accepted: number;
  heldBack: number;
  results: { outcome: string; host?: string; port?: number }[];
}

const summaries = () =>
  standIn.topLevelMessages(ALERT_CHANNEL).filter((m) => m.text.includes('held back'));
const blocksText = (m: StoredMessage) => JSON.stringify(m.blocks ?? []);
const minuteNow = () => Math.floor(Date.now() / 60_000);

/** The two payloads must land in one minute: start with at least 35 s of it left. */
async function awayFromMinuteEnd(): Promise<void> {
  const into = Date.now() % 60_000;
  if (into > 25_000) await new Promise((r) => setTimeout(r, 60_000 - into + 200));
}

it('a cap of 3 and 10 new alerts: 3 incidents, one summary naming the 7 held; a second payload updates it', async () => {
  await awayFromMinuteEnd();
  const minute = minuteNow();
  const first = await postAlert(serve.port, tenAlerts());
  expect(first.status).toBe(202);
  const one = first.json as Reply;
  expect(one).toMatchObject({ accepted: 10, heldBack: 7 });
  const opened = one.results.filter((r) => r.outcome === 'opened');
  const held = one.results.filter((r) => r.outcome === 'held');
  expect(opened).toHaveLength(3);
  expect(held).toHaveLength(7);

  const summary = await standIn.waitFor(() => summaries()[0], 20_000);
  expect(summary.text).toContain('7 alerts from alertmanager held back by the new-incident cap');
  for (const r of held) expect(blocksText(summary)).toContain(`\`lb-01:${r.port}\``);
  for (const r of opened) expect(blocksText(summary)).not.toContain(`\`lb-01:${r.port}\``);
  expect(blocksText(summary)).toContain('PORTBOT_NEW_INCIDENTS_PER_MINUTE');
  // The 3 opened incidents get their threads; the 7 held get none.
  await waitForThreads(
    standIn,
    opened.map((r) => `lb-01:${r.port}`),
    60_000,
  );
  const roots = standIn
    .topLevelMessages(ALERT_CHANNEL)
    .filter((m) => !m.text.includes('held back'));
  expect(roots).toHaveLength(3);

  // The same payload again, in the same minute: the 3 are repeats; the 7 are held again
  // (unless a token came back meanwhile, 1 per 20 s at this cap).
  const second = await postAlert(serve.port, tenAlerts());
  expect(second.status).toBe(202);
  const two = second.json as Reply;
  expect(two.results.filter((r) => r.outcome === 'repeat')).toHaveLength(3);
  expect(two.heldBack).toBeGreaterThanOrEqual(5);
  expect(minuteNow()).toBe(minute); // otherwise the test itself went wrong (see awayFromMinuteEnd)

  const total = 7 + two.heldBack;
  const updated = await standIn.waitFor(() => {
    const m = standIn.message(ALERT_CHANNEL, summary.ts);
    return m?.text.includes(`${total} alerts from alertmanager`) ? m : undefined;
  }, 20_000);
  expect(updated.ts).toBe(summary.ts);
  // Let a wrong second summary show up if one were coming (the queue coalesces for 1 s).
  await new Promise((r) => setTimeout(r, 3000));
  expect(summaries()).toHaveLength(1);
  const summaryPosts = standIn
    .calls('chat.postMessage')
    .filter((c) => c.ok && String(c.params.text).includes('held back'));
  expect(summaryPosts).toHaveLength(1);

  // Every held alert is in the audit log, one entry per payload.
  let audited = 0;
  let entries = 0;
  for await (const e of new RedisAuditLog(redis).read({})) {
    if (e.type !== 'alert.held') continue;
    entries += 1;
    audited += Number(e.detail.count);
  }
  expect(entries).toBe(2);
  expect(audited).toBe(total);

  // The summary's jobs show in the metrics beside the other queues.
  const metrics = await (await fetch(`http://127.0.0.1:${serve.port}/metrics`)).text();
  expect(metrics).toMatch(/portbot_jobs\{queue="held_summary",state="completed"\} [1-9]/);
}, 180_000);
