import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisAuditLog } from '../../../src/audit/redis/RedisAuditLog';
import { verifyAuditLog } from '../../../src/audit/redis/verifyAuditLog';
import type { AuditEvent } from '../../../src/audit/AuditEvent';
import type { StoredMessage } from '../../../src/localSlack/localSlackTypes';
import { REMEDIATION_QUEUE } from '../../../src/queue/enqueueRemediation';
import { APPROVAL_EXPIRY_QUEUE } from '../../../src/queue/scheduleApprovalExpiry';
import { REASON_ACTION_ID, REASON_BLOCK_ID } from '../../../src/render/slack/remediationIds';
import { startLab, type Lab } from '../../lab';
import { waitFor } from '../../lab/waitFor';
import { startTestSlack, type TestSlack } from '../../support/localSlack/startTestSlack';
import { startPortbot, type PortbotProcess } from '../../support/portbotProcess';
import {
  ALERT_CHANNEL,
  alertmanagerPayload,
  postAlert,
  serviceEnv,
  SIGNING_SECRET,
} from '../../support/serviceEnv';
import { signSlackRequest } from '../../support/signSlackRequest';
import { connectTestRedis } from '../../support/testRedis';

/**
 * The Slack approval flow through the real serve (Bolt behind its signature guard), the worker,
 * the local Slack, Redis and the lab's lb-03: button → modal → request → approvals → job; a
 * second serve whose policy expires requests after 15 s shows the expiry job at work.
 */
const DB = 5;
const TEAM = 'T0PORTBOT';
const [ALICE, BOB, CAROL] = ['U0ALICE', 'U0BOB', 'U0CAROL'];
let lab: Lab;
let standIn: TestSlack;
let redis: Redis;
let serve: PortbotProcess;
let shortServe: PortbotProcess;
let worker: PortbotProcess;
let remediationQueue: Queue;
let expiryQueue: Queue;
/** The requester's DM channel with the bot, as the local Slack opens it. */
const ALICE_DM = 'D0ALICE';
const SHORT_EXPIRY_MS = 15_000;
let root: StoredMessage;

beforeAll(async () => {
  lab = await startLab({ keepalived: false });
  redis = await connectTestRedis(DB);
  standIn = await startTestSlack({
    autoCreateChannels: true,
    users: [ALICE, BOB, CAROL].map((id) => ({ id, name: id.toLowerCase() })),
    // CAROL approves through a user group only: usergroups.users.list must be asked.
    userGroups: { S0LEADS: [CAROL] },
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
  const env = serviceEnv({
    slackApiUrl: standIn.url,
    redisDb: DB,
    inventory: lab.inventoryPath,
    extra: { PORTBOT_POLICY: policy },
  });
  serve = await startPortbot(['serve'], env);
  shortServe = await startPortbot(['serve'], { ...env, PORTBOT_POLICY: shortPolicy });
  worker = await startPortbot(['worker'], env);
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
  expect(await serve?.stop()).toBe(0);
  expect(await shortServe?.stop()).toBe(0);
  expect(await worker?.stop()).toBe(0);
  await remediationQueue?.close();
  await expiryQueue?.close();
  await standIn?.close();
  await redis?.quit();
  await lab?.stop();
}, 60_000);

async function interact(payload: Record<string, unknown>, port = serve.port): Promise<number> {
  const body = `payload=${encodeURIComponent(JSON.stringify({ api_app_id: 'A0PORTBOT', token: 'x', team: { id: TEAM, domain: 'portbot-local' }, ...payload }))}`;
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(SIGNING_SECRET, body),
    },
    body,
  });
  await res.text();
  return res.status;
}

function clickButton(
  user: string,
  message: StoredMessage,
  actionId: string,
  value: string,
  port = serve.port,
) {
  return interact(
    {
      type: 'block_actions',
      user: { id: user, team_id: TEAM, username: user.toLowerCase() },
      channel: { id: ALERT_CHANNEL, name: 'alerts' },
      container: { type: 'message', message_ts: message.ts, channel_id: ALERT_CHANNEL },
      message: {
        ts: message.ts,
        text: message.text,
        ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      },
      trigger_id: `${Date.now()}.${Math.random()}.trigger`,
      response_url: 'http://127.0.0.1:9/unused',
      actions: [
        {
          type: 'button',
          action_id: actionId,
          block_id: 'b',
          value,
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    },
    port,
  );
}

function buttons(m: StoredMessage): { action_id: string; value: string }[] {
  return (
    JSON.stringify(m.blocks ?? [])
      .match(/"action_id":"[^"]+","value":"(?:[^"\\]|\\.)*"/g)
      ?.map((s) => {
        const o = JSON.parse(`{${s}}`) as { action_id: string; value: string };
        return o;
      }) ?? []
  );
}

/** Press the diagnosis's kill button as ALICE, then submit the modal it opened. */
async function requestKill(reason: string, port = serve.port): Promise<StoredMessage> {
  const kill = buttons(root).find((b) => b.action_id === 'portbot:action:kill-occupant');
  if (!kill) throw new Error('no kill button on the diagnosis');
  const opened = standIn.calls('views.open').length;
  expect(await clickButton(ALICE, root, kill.action_id, kill.value, port)).toBe(200);
  const call = await standIn.waitFor(() => standIn.calls('views.open')[opened], 30_000);
  const view = (
    typeof call.params.view === 'string' ? JSON.parse(call.params.view) : call.params.view
  ) as {
    callback_id: string;
    private_metadata: string;
  };
  expect(view.callback_id).toBe('portbot:remediation:request');
  const before = approvalMessages().length;
  expect(
    await interact(
      {
        type: 'view_submission',
        user: { id: ALICE, team_id: TEAM },
        view: {
          id: 'V0MODAL',
          type: 'modal',
          callback_id: view.callback_id,
          private_metadata: view.private_metadata,
          state: {
            values: {
              [REASON_BLOCK_ID]: {
                [REASON_ACTION_ID]: { type: 'plain_text_input', value: reason },
              },
            },
          },
          hash: 'h',
        },
      },
      port,
    ),
  ).toBe(200);
  return standIn.waitFor(() => approvalMessages()[before], 30_000);
}

function approvalMessages(): StoredMessage[] {
  return standIn
    .thread(ALERT_CHANNEL, root.ts)
    .replies.filter((m) => m.text.startsWith('Remediation kill-occupant'));
}

const requestIdOf = (m: StoredMessage) =>
  buttons(m).find((b) => b.action_id === 'portbot:approval:approve')?.value ?? '';
const ephemeralsFor = (user: string) =>
  standIn
    .ephemerals(ALERT_CHANNEL)
    .filter((e) => e.user === user)
    .map((e) => e.text);

async function auditEvents(requestId: string): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for await (const e of new RedisAuditLog(redis).read({})) {
    if (e.detail.requestId === requestId) out.push(e);
  }
  return out;
}

async function auditTypes(requestId: string): Promise<string[]> {
  return (await auditEvents(requestId)).map((e) => e.type);
}

/** The DM to the requester whose text says this, once it is there. */
const dmSaying = (text: string) =>
  standIn.waitFor(
    () => standIn.topLevelMessages(ALICE_DM).find((m) => m.text.includes(text)),
    10_000,
  );

describe('remediation approval flow over Slack', () => {
  it('button → modal → request; self-approval refused; a double click counts once; two approvals enqueue one job', async () => {
    const msg = await requestKill('rogue python holds :80');
    const id = requestIdOf(msg);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(buttons(msg).map((b) => b.action_id)).toEqual([
      'portbot:approval:approve',
      'portbot:approval:deny',
      'portbot:approval:cancel',
    ]);
    expect(JSON.stringify(msg.blocks)).toContain('Approvals: 0 of 2');

    await clickButton(ALICE, msg, 'portbot:approval:approve', id);
    await standIn.waitFor(
      () => ephemeralsFor(ALICE).find((t) => t.includes('their own request')),
      10_000,
    );

    await Promise.all([
      clickButton(BOB, msg, 'portbot:approval:approve', id),
      clickButton(BOB, msg, 'portbot:approval:approve', id),
    ]);
    await standIn.waitFor(
      () => ephemeralsFor(BOB).find((t) => t.includes('already approved')),
      10_000,
    );
    // The losing click may answer before the winner has updated the message: wait for it.
    await standIn.waitFor(() => {
      const m = standIn.message(ALERT_CHANNEL, msg.ts);
      return m && JSON.stringify(m.blocks).includes('Approvals: 1 of 2') ? m : undefined;
    }, 10_000);
    const approvedOnce = await auditTypes(id);
    expect(approvedOnce.filter((t) => t === 'remediation.approved')).toHaveLength(1);
    expect(await remediationQueue.getJob(`remediate-${id}`)).toBeUndefined();

    await clickButton(CAROL, msg, 'portbot:approval:approve', id);
    const done = await standIn.waitFor(() => {
      const m = standIn.message(ALERT_CHANNEL, msg.ts);
      return m && JSON.stringify(m.blocks).includes('Approved: queued') ? m : undefined;
    }, 10_000);
    expect(buttons(done)).toEqual([]);
    // The requester is told after the job was added: once the notice is there, so is the job.
    await standIn.waitFor(
      () =>
        standIn
          .thread(ALERT_CHANNEL, root.ts)
          .replies.find((m) =>
            JSON.stringify(m.blocks).includes(
              'The request to kill-occupant on lb-03:80 was approved',
            ),
          ),
      10_000,
    );
    // …and by DM: conversations.open with their id, then a post to the DM channel it answered.
    const dm = await dmSaying('was approved');
    expect(JSON.stringify(dm.blocks)).toContain(`Approved by <@${BOB}>, <@${CAROL}>`);
    expect(JSON.stringify(dm.blocks)).toContain('(lb-03:80), thread in <#C0ALERTS>');
    expect(standIn.calls('conversations.open').map((c) => c.params.users)).toEqual([ALICE]);
    const job = await remediationQueue.getJob(`remediate-${id}`);
    expect(job?.data).toEqual({ requestId: id });
    expect(job?.opts.attempts).toBe(1);
    // Bob's two clicks race: his approval and the refusal of his second click land either way.
    const types = await auditTypes(id);
    expect(types.slice(0, 2)).toEqual(['remediation.requested', 'remediation.approval.refused']);
    expect([...types.slice(2, 4)].sort()).toEqual([
      'remediation.approval.refused',
      'remediation.approved',
    ]);
    expect(types.slice(4)).toEqual(['remediation.approved']);
    expect(standIn.calls('usergroups.users.list').length).toBeGreaterThan(0);
  }, 120_000);

  it('deny wins over an approval; a forged request id is refused; nothing is enqueued', async () => {
    const msg = await requestKill('second try');
    const id = requestIdOf(msg);
    await clickButton(BOB, msg, 'portbot:approval:approve', id);
    await standIn.waitFor(() => {
      const m = standIn.message(ALERT_CHANNEL, msg.ts);
      return m && JSON.stringify(m.blocks).includes('Approvals: 1 of 2') ? m : undefined;
    }, 10_000);
    await clickButton(CAROL, msg, 'portbot:approval:deny', id);
    const denied = await standIn.waitFor(() => {
      const m = standIn.message(ALERT_CHANNEL, msg.ts);
      return m && JSON.stringify(m.blocks).includes('Denied') ? m : undefined;
    }, 10_000);
    expect(buttons(denied)).toEqual([]);
    const dm = await dmSaying('was denied');
    expect(JSON.stringify(dm.blocks)).toContain(`Denied by <@${CAROL}>`);
    await clickButton(CAROL, msg, 'portbot:approval:approve', id);
    await standIn.waitFor(
      () => ephemeralsFor(CAROL).find((t) => t.includes('this request is denied')),
      10_000,
    );
    expect(await remediationQueue.getJob(`remediate-${id}`)).toBeUndefined();

    await clickButton(BOB, msg, 'portbot:approval:approve', 'AAAAAAAAAAAAAAAAAAAAAA');
    await standIn.waitFor(
      () => ephemeralsFor(BOB).find((t) => t.includes('Unknown or expired')),
      10_000,
    );
    expect(await auditTypes(id)).toEqual([
      'remediation.requested',
      'remediation.approved',
      'remediation.denied',
      'remediation.approval.refused',
    ]);
    expect(await auditTypes('AAAAAAAAAAAAAAAAAAAAAA')).toEqual(['remediation.approval.refused']);
    expect((await verifyAuditLog(new RedisAuditLog(redis))).ok).toBe(true);
  }, 120_000);

  it('a request nobody decides expires by itself: updated in place without buttons, audited once, the requester told, a later click refused', async () => {
    // The tests above spent the channel's burst of posts (the local Slack enforces Slack's ~1/s
    // per channel) and serve posts the approval message at once, without retrying a 429.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const msg = await requestKill('nobody will answer', shortServe.port);
    const id = requestIdOf(msg);
    // The expiry is scheduled right after the approval message is posted.
    const job = await waitFor('the expiry job', () => expiryQueue.getJob(`expire-${id}`));
    expect(job?.data).toEqual({ requestId: id });
    expect(job?.opts.delay).toBeGreaterThan(0);
    expect(job?.opts.delay).toBeLessThanOrEqual(SHORT_EXPIRY_MS);
    const requested = (await auditEvents(id)).find((e) => e.type === 'remediation.requested');
    const expiresAt = Date.parse(String(requested?.detail.expiresAt));

    const expired = await standIn.waitFor(() => {
      const m = standIn.message(ALERT_CHANNEL, msg.ts);
      return m && JSON.stringify(m.blocks).includes('Expired: nothing was run') ? m : undefined;
    }, SHORT_EXPIRY_MS + 20_000);
    expect(buttons(expired)).toEqual([]);
    expect(expired.text).toContain('Expired');
    // In place: the same message, no new approval message in the thread.
    expect(approvalMessages().filter((m) => m.ts === msg.ts)).toHaveLength(1);
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

    await clickButton(BOB, msg, 'portbot:approval:approve', id, shortServe.port);
    await standIn.waitFor(
      () => ephemeralsFor(BOB).find((t) => t.includes('this request has expired')),
      10_000,
    );
    const events = await auditEvents(id);
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
});
