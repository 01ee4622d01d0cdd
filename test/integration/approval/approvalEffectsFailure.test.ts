import { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import type { ApprovalContext, Identity } from '../../../src/approval/ApprovalState';
import { applyApprovalEvent } from '../../../src/approval/applyApprovalEvent';
import { newApprovalRequest } from '../../../src/approval/newApprovalRequest';
import { RedisApprovalStore } from '../../../src/approval/redis/RedisApprovalStore';
import type { AuditEvent } from '../../../src/audit/AuditEvent';
import { recordAuditTo } from '../../../src/audit/recordAudit';
import { RedisAuditLog } from '../../../src/audit/redis/RedisAuditLog';
import { handleApprovalClick } from '../../../src/commands/handleApprovalClick';
import type { RemediationFlowDeps } from '../../../src/commands/RemediationFlowDeps';
import type { Policy, RemediationPolicy } from '../../../src/domain/Policy';
import { RedisIncidentStore } from '../../../src/incidents/RedisIncidentStore';
import { LOCAL_SLACK_TOKEN } from '../../../src/localSlack/LocalSlackStore';
import { planDigest } from '../../../src/remediation/planDigest';
import { planRemediation } from '../../../src/remediation/planRemediation';
import { createWebClients } from '../../../src/slack/createWebClients';
import { SlackUserGroups } from '../../../src/slack/SlackUserGroups';
import { WebClientPoster } from '../../../src/slack/WebClientPoster';
import { diag, input } from '../../support/factories/planInput';
import { silentLog } from '../../support/fakes/silentLog';
import { rigLog } from '../../support/inProcessWorkerRig';
import { startTestSlack, type TestSlack } from '../../support/localSlack/startTestSlack';
import { connectTestRedis } from '../../support/testRedis';
import { testSigner } from '../../support/testSigner';

/**
 * What an approving click leaves behind when a durable effect fails after the state was stored
 * (the audit Redis down, the BullMQ add failing), and a transient usergroups.users.list failure.
 * Real Redis, real local Slack, the real click handler.
 */
const TEAM = 'T01';
const REQ: Identity = { userId: 'U01REQ', teamId: TEAM };
const BOB: Identity = { userId: 'U02BOB', teamId: TEAM };
const CAROL: Identity = { userId: 'U03CAROL', teamId: TEAM };
const POLICY: RemediationPolicy = {
  requesters: { users: [REQ.userId], groups: [] },
  approvers: { users: [BOB.userId], groups: ['S0LEADS'] },
  approvals: { default: 1, vipHolder: 2 },
  expiryMinutes: 10,
};
const ctx: ApprovalContext = { policy: POLICY, teamId: TEAM, actorGroups: [], signer: testSigner };

let redis: Redis;
let store: RedisApprovalStore;
let standIn: TestSlack;
let deps: RemediationFlowDeps;
let auditLog: RedisAuditLog;
let auditDown = false;
let enqueueDown = false;
const enqueued: string[] = [];

beforeAll(async () => {
  redis = await connectTestRedis(4);
  store = new RedisApprovalStore(redis);
  standIn = await startTestSlack({
    autoCreateChannels: true,
    users: [REQ, BOB, CAROL].map((u) => ({ id: u.userId, name: u.userId.toLowerCase() })),
    userGroups: { S0LEADS: [CAROL.userId] },
  });
  const { client, posts } = createWebClients(LOCAL_SLACK_TOKEN, { apiUrl: standIn.url });
  const groups = new SlackUserGroups(
    new WebClient(LOCAL_SLACK_TOKEN, { slackApiUrl: standIn.url, retryConfig: { retries: 0 } }),
    [POLICY.requesters, POLICY.approvers],
    silentLog,
  );
  auditLog = new RedisAuditLog(redis);
  const record = recordAuditTo(auditLog, silentLog);
  const policy: Policy = { commands: { channels: ['*'], users: ['*'] }, remediation: POLICY };
  deps = {
    policy,
    signer: testSigner,
    incidents: new RedisIncidentStore(redis, 3600),
    approvals: store,
    plan: () => Promise.reject(new Error('no planning here')),
    slack: new WebClientPoster(client, posts),
    userGroups: (userId) => groups.groupsOf(userId),
    enqueueExecution: (id) => {
      if (enqueueDown) return Promise.reject(new Error('READONLY / connection lost'));
      enqueued.push(id);
      return Promise.resolve();
    },
    scheduleExpiry: () => Promise.resolve(),
    audit: (e) => (auditDown ? Promise.reject(new Error('audit redis down')) : record(e)),
    now: () => Date.now(),
    log: rigLog(),
  };
});

afterAll(async () => {
  await standIn?.close();
  await redis?.quit();
});

async function requested(): Promise<string> {
  const r = planRemediation(input('kill-occupant', diag('foreign-listener', 'web-01', null), null));
  if (!r.ok) throw new Error(r.reason);
  const p = r.plan;
  const created = await store.create((id) => ({
    state: newApprovalRequest(id, 'inc-1', p, planDigest(p)),
    plan: p,
    message: { channel: 'C0ALERTS', threadTs: '1700000000.000100', messageTs: null },
  }));
  const a = await applyApprovalEvent(
    store,
    created.state.requestId,
    { type: 'request', by: REQ, reason: 'rogue listener on :80', at: Date.now() },
    ctx,
  );
  if (a.kind !== 'applied') throw new Error(a.kind);
  return created.state.requestId;
}

const click = (requestId: string, user: Identity) =>
  handleApprovalClick(deps, {
    button: 'approve',
    requestId,
    user,
    team: user.teamId,
    channel: 'C0ALERTS',
    threadTs: '1700000000.000100',
  });

async function auditOf(id: string): Promise<string[]> {
  const out: AuditEvent[] = [];
  for await (const e of auditLog.read({})) if (e.detail.requestId === id) out.push(e);
  return out.map((e) => `${e.type}:${e.actor}:${String(e.detail.code ?? '')}`);
}

const told = (user: Identity) =>
  standIn
    .ephemerals('C0ALERTS')
    .filter((e) => e.user === user.userId)
    .map((e) => e.text);

it('the audit append fails at the approving click: a repeat click audits and queues it; expiry would end it', async () => {
  const id = await requested();
  auditDown = true;
  await click(id, BOB);
  auditDown = false;
  expect((await store.get(id))?.state.status).toBe('approved');
  expect(enqueued).not.toContain(id);

  await click(id, BOB);

  expect(enqueued.filter((x) => x === id)).toHaveLength(1);
  // The failed click left no record; the repeat click's is the approval's trace.
  expect(await auditOf(id)).toEqual(['remediation.execution.requeued:U02BOB:']);
  expect(told(BOB).at(-1)).toMatch(/already approved: its execution was queued again/);
});

it('the queue add fails at the approving click: the repeat click queues it', async () => {
  const id = await requested();
  enqueueDown = true;
  await click(id, BOB);
  enqueueDown = false;
  expect(enqueued).not.toContain(id);
  await click(id, BOB);
  expect(enqueued.filter((x) => x === id)).toHaveLength(1);
  expect((await store.get(id))?.state.status).toBe('approved');
});

it('an approved request never started is expired by its expiry job', async () => {
  const id = await requested();
  enqueueDown = true;
  await click(id, BOB);
  enqueueDown = false;
  const expiresAt = (await store.get(id))?.state.expiresAt ?? 0;
  const exp = await applyApprovalEvent(store, id, { type: 'expire', at: expiresAt }, ctx);
  expect(exp.kind).toBe('applied');
  expect((await store.get(id))?.state.status).toBe('expired');
});

it('usergroups.users.list failing once: told membership could not be checked, not cached, then approves', async () => {
  const id = await requested();
  const fresh = new SlackUserGroups(
    new WebClient(LOCAL_SLACK_TOKEN, { slackApiUrl: standIn.url, retryConfig: { retries: 0 } }),
    [POLICY.requesters, POLICY.approvers],
    silentLog,
  );
  deps = { ...deps, userGroups: (u) => fresh.groupsOf(u) };
  const calls0 = standIn.calls('usergroups.users.list').length;
  standIn.failNext('usergroups.users.list', { error: 'internal_error', status: 500 });
  await click(id, CAROL);
  expect((await store.get(id))?.state.status).toBe('awaiting-approval');
  expect(told(CAROL).at(-1)).toMatch(/membership could not be checked/);
  expect(await auditOf(id)).toEqual(['remediation.approval.refused:U03CAROL:membership-unchecked']);

  await click(id, CAROL); // Slack answers again: asked again, not served from a cached failure

  expect(standIn.calls('usergroups.users.list').length - calls0).toBe(2);
  expect((await store.get(id))?.state.status).toBe('approved');
});
