import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent } from '../../../src/audit/AuditEvent';
import { RedisAuditLog } from '../../../src/audit/redis/RedisAuditLog';
import { verifyAuditLog } from '../../../src/audit/redis/verifyAuditLog';
import type { StoredMessage } from '../../../src/localSlack/localSlackTypes';
import { RemediationPlanSchema } from '../../../src/approval/redis/RemediationPlanSchema';
import { REMEDIATION_QUEUE } from '../../../src/queue/jobTypes';
import { planDigest } from '../../../src/remediation/planDigest';
import { APPROVAL_EXPIRY_QUEUE } from '../../../src/queue/scheduleApprovalExpiry';
import { startLab, type Lab } from '../../lab';
import { waitFor } from '../../lab/waitFor';
import {
  startTestSlack,
  TEST_APP_TOKEN,
  type TestSlack,
} from '../../support/localSlack/startTestSlack';
import { startPortbot, type PortbotProcess } from '../../support/portbotProcess';
import {
  ALERT_CHANNEL,
  alertmanagerPayload,
  postAlert,
  serviceEnv,
  SIGNING_SECRET,
} from '../../support/serviceEnv';
import { buttons, requestIdOf, SlackFlowDriver } from '../../support/slackFlowDriver';
import { SLACK_MODES, slackTransport } from '../../support/slackTransport';
import { connectTestRedis } from '../../support/testRedis';

/**
 * The whole remediation through the real serve (Bolt behind its signature guard in HTTP mode,
 * or on its Socket Mode connection), the worker, the local Slack, Redis and the lab's lb-03:
 * alert → diagnosis → button → modal → request → approvals → the worker kills the occupant and
 * starts HAProxy → the thread shows the outcome; a second serve whose policy expires requests
 * after 15 s shows the expiry job at work. Every test runs in both modes.
 */
const DB = 5;
const TEAM = 'T0PORTBOT';
const AUDIT_TOKEN = 'audit-token-0123456789abcdef';
/** Socket Mode: the short-expiry serve is a second app, with its own app-level token. */
const SHORT_APP_TOKEN = 'xapp-1-A0SHORT-1-stand-in';
const [ALICE, BOB, CAROL] = ['U0ALICE', 'U0BOB', 'U0CAROL'];
/** The requester's DM channel with the bot, as the local Slack opens it. */
const ALICE_DM = 'D0ALICE';
const SHORT_EXPIRY_MS = 15_000;
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
  let shortServe: PortbotProcess;
  let expiryQueue: Queue;
  let shortFlow: SlackFlowDriver;
  let worker: PortbotProcess;
  let remediationQueue: Queue;
  let root: StoredMessage;
  let flow: SlackFlowDriver;

  beforeAll(async () => {
    redis = await connectTestRedis(DB);
    standIn = await startTestSlack({
      autoCreateChannels: true,
      users: [ALICE, BOB, CAROL].map((id) => ({ id, name: id.toLowerCase() })),
      // CAROL approves through a user group only: usergroups.users.list must be asked.
      userGroups: { S0LEADS: [CAROL] },
      appTokens: [TEST_APP_TOKEN, SHORT_APP_TOKEN],
    });
    const dir = mkdtempSync(join(tmpdir(), 'portbot-flow-'));
    const policyText = (expiryMinutes: number) =>
      [
        'commands: { channels: ["*"], users: ["*"] }',
        'remediation:',
        `  requesters: { users: ["${ALICE}"], groups: [] }`,
        `  approvers: { users: ["${ALICE}", "${BOB}"], groups: ["S0LEADS"] }`,
        '  approvals: { default: 2, vipHolder: 2 }',
        `  expiryMinutes: ${expiryMinutes}`,
        '',
      ].join('\n');
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, policyText(10));
    const shortPolicy = join(dir, 'short-expiry.yaml');
    writeFileSync(shortPolicy, policyText(SHORT_EXPIRY_MS / 60_000));
    const envFor = (policyFile: string, appToken: string) =>
      serviceEnv({
        slackApiUrl: standIn.url,
        redisDb: DB,
        inventory: lab.inventoryPath,
        mode,
        appToken,
        extra: { PORTBOT_POLICY: policyFile, PORTBOT_AUDIT_TOKEN: AUDIT_TOKEN },
      });
    serve = await startPortbot(['serve'], envFor(policy, TEST_APP_TOKEN));
    shortServe = await startPortbot(['serve'], envFor(shortPolicy, SHORT_APP_TOKEN));
    worker = await startPortbot(['worker'], envFor(policy, TEST_APP_TOKEN));
    const driver = (port: () => number, appToken: string) =>
      new SlackFlowDriver({
        standIn,
        transport: slackTransport(mode, {
          standIn,
          servePort: port,
          signingSecret: SIGNING_SECRET,
          appToken,
        }),
        team: TEAM,
        channel: ALERT_CHANNEL,
      });
    flow = driver(() => serve.port, TEST_APP_TOKEN);
    shortFlow = driver(() => shortServe.port, SHORT_APP_TOKEN);
    remediationQueue = new Queue(REMEDIATION_QUEUE, { connection: redis, prefix: 'portbot' });
    expiryQueue = new Queue(APPROVAL_EXPIRY_QUEUE, { connection: redis, prefix: 'portbot' });
    await lab.rogueListener('lb-03');
    await postAlert(serve.port, alertmanagerPayload('firing', '10.77.0.13:80'));
    root = await standIn.waitFor(() => {
      const m = standIn.topLevelMessages(ALERT_CHANNEL).find((x) => x.text.includes('lb-03:80'));
      return m?.text.includes('foreign-listener') ? m : undefined;
    }, 30_000);
  }, 180_000);

  afterAll(async () => {
    if (mode === 'socket' && standIn) {
      console.log(
        `Socket Mode acks (remediationFlow): ${JSON.stringify(standIn.socketMode.ackFigures())}`,
      );
    }
    expect(await serve?.stop()).toBe(0);
    expect(await shortServe?.stop()).toBe(0);
    expect(await worker?.stop()).toBe(0);
    await remediationQueue?.close();
    await expiryQueue?.close();
    await standIn?.close();
    await redis?.quit();
  }, 60_000);

  async function auditOf(requestId: string): Promise<AuditEvent[]> {
    const out: AuditEvent[] = [];
    for await (const e of new RedisAuditLog(redis).read({})) {
      if (e.detail.requestId === requestId) out.push(e);
    }
    return out;
  }
  const auditTypes = async (requestId: string) => (await auditOf(requestId)).map((e) => e.type);

  /** The DM to the requester whose text says this, once it is there. */
  const dmSaying = (text: string) =>
    standIn.waitFor(
      () => standIn.topLevelMessages(ALICE_DM).find((m) => m.text.includes(text)),
      10_000,
    );

  const alive = async (pid: number) =>
    (await lab.exec('lb-03', ['kill', '-0', String(pid)])).rc === 0;

  describe('remediation over Slack, carried out on the lab', () => {
    it('alert → request → self-approval refused → double click once → two approvals → occupant killed, HAProxy started, success in the thread, audited in order', async () => {
      const rogue = await lab.rogueListener('lb-03');
      const msg = await flow.request(ALICE, root, 'kill-occupant', 'rogue python holds :80');
      const id = requestIdOf(msg);
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(buttons(msg).map((b) => b.action_id)).toEqual([
        'portbot:approval:approve',
        'portbot:approval:deny',
        'portbot:approval:cancel',
      ]);
      expect(JSON.stringify(msg.blocks)).toContain('Approvals: 0 of 2');
      expect(JSON.stringify(msg.blocks)).toContain(`kill -TERM ${rogue}`);

      await flow.click(ALICE, msg, 'portbot:approval:approve', id);
      await standIn.waitFor(
        () => flow.ephemeralsFor(ALICE).find((t) => t.includes('their own request')),
        10_000,
      );

      await Promise.all([
        flow.click(BOB, msg, 'portbot:approval:approve', id),
        flow.click(BOB, msg, 'portbot:approval:approve', id),
      ]);
      await standIn.waitFor(
        () => flow.ephemeralsFor(BOB).find((t) => t.includes('already approved')),
        10_000,
      );
      // The losing click may answer before the winner has updated the message: wait for it.
      await flow.messageWith(msg, 'Approvals: 1 of 2');
      expect((await auditTypes(id)).filter((t) => t === 'remediation.approved')).toHaveLength(1);
      expect(await remediationQueue.getJob(`remediate-${id}`)).toBeUndefined();
      expect(await alive(rogue)).toBe(true);

      await flow.click(CAROL, msg, 'portbot:approval:approve', id);
      const done = await flow.messageWith(msg, 'Succeeded', 60_000);
      expect(buttons(done)).toEqual([]);
      expect(JSON.stringify(done.blocks)).toContain(
        'Steps done: 6 (last: 6. lb-03 verify-listening)',
      );
      expect(await alive(rogue)).toBe(false);
      const listeners = (await lab.listeners('lb-03', 80)).join('\n');
      expect(listeners).toContain('"haproxy"');
      expect(listeners).not.toContain('python3');
      // The requester is told by DM (approved, then succeeded); the thread sees each outcome too.
      const approvedDm = await dmSaying('was approved');
      expect(JSON.stringify(approvedDm.blocks)).toContain(`Approved by <@${BOB}>, <@${CAROL}>`);
      expect(JSON.stringify(approvedDm.blocks)).toContain('(lb-03:80), thread in <#C0ALERTS>');
      await dmSaying('succeeded');
      expect(standIn.calls('conversations.open').map((c) => c.params.users)).toContain(ALICE);
      await standIn.waitFor(
        () =>
          standIn
            .thread(ALERT_CHANNEL, root.ts)
            .replies.find((m) =>
              JSON.stringify(m.blocks).includes(
                'The request to kill-occupant on lb-03:80 succeeded',
              ),
            ),
        10_000,
      );
      const job = await remediationQueue.getJob(`remediate-${id}`);
      expect(job?.data).toEqual({ requestId: id });
      expect(job?.opts.attempts).toBe(1);
      // The job ends just after it told the requester.
      await waitFor(
        'the remediation job to complete',
        async () => (await job?.getState()) === 'completed',
      );
      expect((await remediationQueue.getJob(`remediate-${id}`))?.returnvalue).toBe('succeeded');
      expect(standIn.calls('usergroups.users.list').length).toBeGreaterThan(0);

      // The audit export (what an auditor downloads) has every step, in order, and verifies.
      const res = await fetch(`http://127.0.0.1:${serve.port}/audit/export?since=1d`, {
        headers: { authorization: `Bearer ${AUDIT_TOKEN}` },
      });
      expect(res.status).toBe(200);
      const exported = (await res.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as AuditEvent)
        .filter((e) => e.detail.requestId === id);
      const steps = exported.map((e) => [e.type, e.detail.step ?? null]);
      // Bob's two clicks race: his approval and the refusal of his second click land either way.
      expect(steps.slice(0, 2)).toEqual([
        ['remediation.requested', null],
        ['remediation.approval.refused', null],
      ]);
      expect(
        steps
          .slice(2, 4)
          .map(([t]) => t)
          .sort(),
      ).toEqual(['remediation.approval.refused', 'remediation.approved']);
      expect(steps.slice(4)).toEqual([
        ['remediation.approved', null],
        ['remediation.execution.started', null],
        ['remediation.step.intent', 3],
        ['remediation.step.done', 3],
        ['remediation.step.intent', 5],
        ['remediation.step.done', 5],
        ['remediation.succeeded', null],
      ]);
      expect(exported.find((e) => e.type === 'remediation.step.done')?.detail).toMatchObject({
        command: `kill -TERM ${rogue}`,
        exitCode: 0,
      });
      expect(exported.at(-1)?.actor).toBe(CAROL);
      expect((await verifyAuditLog(new RedisAuditLog(redis))).ok).toBe(true);
    }, 180_000);

    it('deny wins over an approval; a forged request id is refused; nothing runs', async () => {
      const rogue = await lab.rogueListener('lb-03');
      const msg = await flow.request(ALICE, root, 'kill-occupant', 'second try');
      const id = requestIdOf(msg);
      await flow.click(BOB, msg, 'portbot:approval:approve', id);
      await flow.messageWith(msg, 'Approvals: 1 of 2');
      await flow.click(CAROL, msg, 'portbot:approval:deny', id);
      const denied = await flow.messageWith(msg, 'Denied');
      expect(buttons(denied)).toEqual([]);
      const dm = await dmSaying('was denied');
      expect(JSON.stringify(dm.blocks)).toContain(`Denied by <@${CAROL}>`);
      await flow.click(CAROL, msg, 'portbot:approval:approve', id);
      await standIn.waitFor(
        () => flow.ephemeralsFor(CAROL).find((t) => t.includes('this request is denied')),
        10_000,
      );
      expect(await remediationQueue.getJob(`remediate-${id}`)).toBeUndefined();

      await flow.click(BOB, msg, 'portbot:approval:approve', 'AAAAAAAAAAAAAAAAAAAAAA');
      await standIn.waitFor(
        () => flow.ephemeralsFor(BOB).find((t) => t.includes('Unknown or expired')),
        10_000,
      );
      expect(await auditTypes(id)).toEqual([
        'remediation.requested',
        'remediation.approved',
        'remediation.denied',
        'remediation.approval.refused',
      ]);
      expect(await auditTypes('AAAAAAAAAAAAAAAAAAAAAA')).toEqual(['remediation.approval.refused']);
      expect(await alive(rogue)).toBe(true);
      expect((await verifyAuditLog(new RedisAuditLog(redis))).ok).toBe(true);
    }, 120_000);

    it('PID reuse: the occupant replaced after the request: nothing is killed, the thread says why', async () => {
      const first = await lab.rogueListener('lb-03');
      const msg = await flow.request(ALICE, root, 'kill-occupant', 'pid reuse');
      const id = requestIdOf(msg);
      const second = await lab.rogueListener('lb-03');
      expect(second).not.toBe(first);
      await flow.click(BOB, msg, 'portbot:approval:approve', id);
      await flow.messageWith(msg, 'Approvals: 1 of 2');
      await flow.click(CAROL, msg, 'portbot:approval:approve', id);

      const aborted = await flow.messageWith(msg, 'Aborted', 60_000);
      const text = JSON.stringify(aborted.blocks);
      expect(text).toContain(`held by pid ${second}`);
      expect(text).toContain('re-approval needed');
      expect(text).toContain('/port check lb-03 80');
      expect(await alive(second)).toBe(true);
      const events = await auditOf(id);
      expect(events.map((e) => e.type).slice(-1)).toEqual(['remediation.aborted']);
      expect(events.at(-1)?.detail.code).toBe('target-changed');
      expect(events.some((e) => e.type === 'remediation.step.intent')).toBe(false);
    }, 120_000);

    it('a request nobody decides expires by itself: updated in place without buttons, audited once, the requester told, a later click refused', async () => {
      // The tests above spent the channel's burst of posts (the local Slack enforces Slack's ~1/s
      // per channel) and serve posts the approval message at once, without retrying a 429.
      await new Promise((resolve) => setTimeout(resolve, 6000));
      await lab.rogueListener('lb-03');
      const msg = await shortFlow.request(ALICE, root, 'kill-occupant', 'nobody will answer');
      const id = requestIdOf(msg);
      // The expiry is scheduled right after the approval message is posted.
      const job = await waitFor('the expiry job', () => expiryQueue.getJob(`expire-${id}`));
      expect(job?.data).toEqual({ requestId: id });
      expect(job?.opts.delay).toBeGreaterThan(0);
      expect(job?.opts.delay).toBeLessThanOrEqual(SHORT_EXPIRY_MS);
      const requested = (await auditOf(id)).find((e) => e.type === 'remediation.requested');
      const expiresAt = Date.parse(String(requested?.detail.expiresAt));

      const expired = await flow.messageWith(
        msg,
        'Expired: nothing was run',
        SHORT_EXPIRY_MS + 20_000,
      );
      expect(buttons(expired)).toEqual([]);
      expect(expired.text).toContain('Expired');
      // In place: the same message, no new approval message in the thread.
      expect(
        flow.approvalMessages(root, 'kill-occupant').filter((m) => m.ts === msg.ts),
      ).toHaveLength(1);
      const update = standIn
        .calls('chat.update')
        .find((c) => c.params.ts === msg.ts && String(c.params.text).includes('Expired'));
      expect(update?.at).toBeGreaterThanOrEqual(expiresAt);

      const dm = await dmSaying('expired without enough approvals');
      expect(JSON.stringify(dm.blocks)).toContain('(lb-03:80), thread in <#C0ALERTS>');
      await standIn.waitFor(
        () =>
          standIn
            .thread(ALERT_CHANNEL, root.ts)
            .replies.find((m) =>
              JSON.stringify(m.blocks).includes('The request to kill-occupant on lb-03:80 expired'),
            ),
        10_000,
      );

      await shortFlow.click(BOB, msg, 'portbot:approval:approve', id);
      await standIn.waitFor(
        () => flow.ephemeralsFor(BOB).find((t) => t.includes('this request has expired')),
        10_000,
      );
      const events = await auditOf(id);
      expect(events.map((e) => e.type)).toEqual([
        'remediation.requested',
        'remediation.expired',
        'remediation.approval.refused',
      ]);
      expect(events[1]?.actor).toBe('system');
      expect(events[2]?.detail).toMatchObject({ code: 'expired', status: 'expired' });
      expect(await remediationQueue.getJob(`remediate-${id}`)).toBeUndefined();
      expect((await verifyAuditLog(new RedisAuditLog(redis))).ok).toBe(true);
    }, 120_000);

    it('someone who can write Redis but lacks PORTBOT_APPROVAL_KEY: a swapped plan or forged approvals kill nothing', async () => {
      // The channel's burst of posts was spent above (see the expiry test).
      await new Promise((resolve) => setTimeout(resolve, 6000));
      const rogue = await lab.rogueListener('lb-03');

      // 1. The stored plan swapped after the request, its digest recomputed, then approved for real.
      const msg = await flow.request(ALICE, root, 'kill-occupant', 'tamper with the plan');
      const id = requestIdOf(msg);
      const key = `portbot:approval:${id}`;
      const plan = RemediationPlanSchema.parse(JSON.parse((await redis.hget(key, 'plan')) ?? ''));
      const swapped = {
        ...plan,
        steps: plan.steps.map((s) =>
          s.kind === 'signal' ? { ...s, command: s.command.replace('TERM', 'KILL') } : s,
        ),
      };
      expect(JSON.stringify(swapped)).not.toBe(JSON.stringify(plan));
      const state = JSON.parse((await redis.hget(key, 'state')) ?? '') as Record<string, unknown>;
      await redis.hset(key, {
        plan: JSON.stringify(swapped),
        state: JSON.stringify({ ...state, planDigest: planDigest(swapped) }),
      });
      await flow.click(BOB, msg, 'portbot:approval:approve', id);
      await flow.messageWith(msg, 'Approvals: 1 of 2');
      await flow.click(CAROL, msg, 'portbot:approval:approve', id);
      const aborted = await flow.messageWith(msg, 'Aborted', 60_000);
      expect(JSON.stringify(aborted.blocks)).toContain(
        'the request signature does not match its plan hash and requester: nothing was run',
      );
      const events = await auditOf(id);
      expect(events.map((e) => e.type)).toEqual([
        'remediation.requested',
        'remediation.approved',
        'remediation.approved',
        'remediation.aborted',
      ]);
      expect(events.at(-1)?.detail.code).toBe('unverified-request');
      expect(await alive(rogue)).toBe(true);

      // 2. A fresh request marked approved in Redis with made-up approvals, its job queued by hand.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const msg2 = await flow.request(ALICE, root, 'kill-occupant', 'tamper with the approvals');
      const id2 = requestIdOf(msg2);
      const key2 = `portbot:approval:${id2}`;
      const state2 = JSON.parse((await redis.hget(key2, 'state')) ?? '') as { version: number };
      const forged = {
        ...state2,
        status: 'approved',
        version: state2.version + 1,
        approvals: [BOB, CAROL].map((userId, i) => ({
          userId,
          teamId: TEAM,
          at: Date.now() + i,
          mac: 'ab'.repeat(32),
        })),
      };
      await redis.hset(key2, { version: String(forged.version), state: JSON.stringify(forged) });
      await remediationQueue.add('remediate', { requestId: id2 }, { jobId: `remediate-${id2}` });
      const aborted2 = await flow.messageWith(msg2, 'Aborted', 60_000);
      expect(JSON.stringify(aborted2.blocks)).toContain(
        '0 of 2 required approvals carry a valid signature (2 recorded): nothing was run',
      );
      const events2 = await auditOf(id2);
      expect(events2.map((e) => e.type)).toEqual(['remediation.requested', 'remediation.aborted']);
      expect(events2.at(-1)?.detail.code).toBe('unverified-request');
      // The forged approvers are not trusted with the record's actor.
      expect(events2.at(-1)?.actor).toBe('system');
      expect(await alive(rogue)).toBe(true);
      expect((await verifyAuditLog(new RedisAuditLog(redis))).ok).toBe(true);
    }, 120_000);
  });
});
