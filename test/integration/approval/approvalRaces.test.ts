import { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import type {
  ApprovalContext,
  ApprovalEvent,
  ApprovalStatus,
  Identity,
} from '../../../src/approval/ApprovalState';
import type { RemediationRequest } from '../../../src/approval/ApprovalStore';
import { applyApprovalEvent, type ApplyResult } from '../../../src/approval/applyApprovalEvent';
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
import type { ApprovalClass, RemediationPlan } from '../../../src/remediation/RemediationPlan';
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
 * The approval store's compare-and-set in real Redis under the races the unit tests cannot make:
 * clicks that land at the same instant, clicks across the expiry instant, approvers allowed only
 * through a Slack user group (usergroups.users.list on the local Slack), and the click handler
 * over a request that cannot be read or ids that do not exist.
 */
const DB = 1;
const TEAM = 'T01';
const REQ: Identity = { userId: 'U01REQ', teamId: TEAM };
const BOB: Identity = { userId: 'U02BOB', teamId: TEAM };
const CAROL: Identity = { userId: 'U03CAROL', teamId: TEAM };
const DAVE: Identity = { userId: 'U04DAVE', teamId: TEAM };
/** In the workspace, in no policy list and no group. */
const EVE: Identity = { userId: 'U05EVE', teamId: TEAM };
const ITERATIONS = 40;

let redis: Redis;
let store: RedisApprovalStore;
let standIn: TestSlack;

const POLICY: RemediationPolicy = {
  requesters: { users: [REQ.userId], groups: [] },
  approvers: { users: [BOB.userId, DAVE.userId], groups: ['S0LEADS'] },
  approvals: { default: 1, vipHolder: 2 },
  expiryMinutes: 10,
};
const ctx = (groups: readonly string[] = []): ApprovalContext => ({
  policy: POLICY,
  teamId: TEAM,
  actorGroups: groups,
  signer: testSigner,
});

beforeAll(async () => {
  redis = await connectTestRedis(DB);
  store = new RedisApprovalStore(redis);
  standIn = await startTestSlack({
    autoCreateChannels: true,
    users: [REQ, BOB, CAROL, DAVE, EVE].map((u) => ({
      id: u.userId,
      name: u.userId.toLowerCase(),
    })),
    userGroups: { S0LEADS: [CAROL.userId] },
  });
});

afterAll(async () => {
  await standIn?.close();
  await redis?.quit();
});

function plan(cls: ApprovalClass = 'default'): RemediationPlan {
  const r = planRemediation(input('kill-occupant', diag('foreign-listener', 'web-01', null), null));
  if (!r.ok) throw new Error(r.reason);
  return { ...r.plan, approvalClass: cls };
}

async function requested(cls: ApprovalClass, at: number): Promise<RemediationRequest> {
  const p = plan(cls);
  const created = await store.create((id) => ({
    state: newApprovalRequest(id, 'inc-1', p, planDigest(p)),
    plan: p,
    message: { channel: 'C0ALERTS', threadTs: '1700000000.000100', messageTs: null },
  }));
  const r = await applyApprovalEvent(
    store,
    created.state.requestId,
    { type: 'request', by: REQ, reason: 'rogue listener on :80', at },
    ctx(),
  );
  if (r.kind !== 'applied') throw new Error(r.kind);
  return r.request;
}

const TERMINAL = new Set<ApprovalStatus>(['approved', 'denied', 'cancelled', 'expired']);

/** What a result did: the status it stored when it ended the request, else null. */
/** An approve click that found the request approved and only re-queued its execution. */
function requeued(r: ApplyResult): boolean {
  return (
    r.kind === 'applied' &&
    r.effects.some((e) => e.kind === 'audit' && e.type === 'remediation.execution.requeued')
  );
}

function ended(r: ApplyResult): ApprovalStatus | null {
  if (r.kind !== 'applied' || r.effects.length === 0 || requeued(r)) return null;
  return TERMINAL.has(r.request.state.status) ? r.request.state.status : null;
}

const shuffle = <T>(xs: T[]): T[] =>
  xs
    .map((x) => ({ x, k: Math.random() }))
    .sort((a, b) => a.k - b.k)
    .map(({ x }) => x);

describe('clicks at the same instant, in real Redis', () => {
  it('approve, deny and cancel together: exactly one of them ends the request, and what it stored is what stays', async () => {
    const seen = new Map<ApprovalStatus, number>();
    for (let i = 0; i < ITERATIONS; i += 1) {
      const at = Date.now();
      const r = await requested('default', at);
      const id = r.state.requestId;
      const events: [ApprovalEvent, ApprovalContext][] = shuffle([
        [{ type: 'approve', by: BOB, at: at + 1, acceptOutage: false }, ctx()],
        [{ type: 'deny', by: DAVE, at: at + 1 }, ctx()],
        [{ type: 'cancel', by: REQ, at: at + 1 }, ctx()],
      ]);
      const results = await Promise.all(
        events.map(([e, c]) => applyApprovalEvent(store, id, e, c)),
      );
      const enders = results.map(ended).filter((s) => s !== null);
      expect(enders).toHaveLength(1);
      const final = (await store.get(id))?.state;
      expect(final?.status).toBe(enders[0]);
      // The losers were refused on the state the winner stored, never applied on a stale one.
      expect(results.filter((x) => x.kind === 'refused').map((x) => x.refusal.code)).toEqual([
        'wrong-state',
        'wrong-state',
      ]);
      const enqueues = results.flatMap((x) =>
        x.kind === 'applied' ? x.effects.filter((e) => e.kind === 'enqueue-execution') : [],
      );
      expect(enqueues).toHaveLength(final?.status === 'approved' ? 1 : 0);
      seen.set(enders[0] ?? 'proposed', (seen.get(enders[0] ?? 'proposed') ?? 0) + 1);
    }
    process.stdout.write(
      `approve/deny/cancel races: ${JSON.stringify(Object.fromEntries(seen))}\n`,
    );
  }, 60_000);

  it('deny and an approval land together on a two-approval request: the deny always wins', async () => {
    for (let i = 0; i < ITERATIONS; i += 1) {
      const at = Date.now();
      const r = await requested('vip-holder', at);
      const id = r.state.requestId;
      const results = await Promise.all(
        shuffle<ApprovalEvent>([
          { type: 'approve', by: BOB, at: at + 1, acceptOutage: false },
          { type: 'deny', by: DAVE, at: at + 1 },
        ]).map((e) => applyApprovalEvent(store, id, e, ctx())),
      );
      expect(results.map(ended).filter((s) => s !== null)).toEqual(['denied']);
      const final = (await store.get(id))?.state;
      expect(final).toMatchObject({ status: 'denied', decidedBy: DAVE });
      expect(final?.approvals.length).toBeLessThanOrEqual(1);
    }
  }, 60_000);

  it('a double click and two approvers at once on a two-approval request: approved once, enqueued once', async () => {
    for (let i = 0; i < ITERATIONS; i += 1) {
      const at = Date.now();
      const r = await requested('vip-holder', at);
      const id = r.state.requestId;
      const approve = (by: Identity, groups: string[] = []) =>
        applyApprovalEvent(
          store,
          id,
          { type: 'approve', by, at: at + 1, acceptOutage: false },
          ctx(groups),
        );
      const results = await Promise.all(
        shuffle([() => approve(BOB), () => approve(BOB), () => approve(CAROL, ['S0LEADS'])]).map(
          (f) => f(),
        ),
      );
      const final = (await store.get(id))?.state;
      expect(final?.status).toBe('approved');
      expect(final?.approvals.map((a) => a.userId).sort()).toEqual([BOB.userId, CAROL.userId]);
      // BOB's second click is refused, or (landing after the approval) re-queues the execution,
      // which BullMQ's job id dedupes: one approval per person either way.
      expect(
        results
          .filter((x) => x.kind === 'refused' || requeued(x))
          .map((x) => (x.kind === 'refused' ? x.refusal.code : 'requeued')),
      ).toEqual([expect.stringMatching(/^(already-approved|requeued)$/)]);
      const enqueues = results.flatMap((x) =>
        x.kind === 'applied' && !requeued(x)
          ? x.effects.filter((e) => e.kind === 'enqueue-execution')
          : [],
      );
      expect(enqueues).toHaveLength(1);
    }
  }, 60_000);
});

describe('clicks across the expiry instant, in real Redis', () => {
  it('an approval one ms before expiresAt applies; one at expiresAt is refused; the expiry job before it waits', async () => {
    const at = Date.now();
    const early = await requested('default', at);
    const expiresAt = early.state.expiresAt ?? 0;
    expect(expiresAt).toBe(at + 10 * 60_000);
    const expireTooSoon = await applyApprovalEvent(
      store,
      early.state.requestId,
      { type: 'expire', at: expiresAt - 1 },
      ctx(),
    );
    expect(expireTooSoon.kind === 'refused' && expireTooSoon.refusal.code).toBe('not-expired');
    const inTime = await applyApprovalEvent(
      store,
      early.state.requestId,
      { type: 'approve', by: BOB, at: expiresAt - 1, acceptOutage: false },
      ctx(),
    );
    expect(ended(inTime)).toBe('approved');

    const late = await requested('default', at);
    const tooLate = await applyApprovalEvent(
      store,
      late.state.requestId,
      { type: 'approve', by: BOB, at: expiresAt, acceptOutage: false },
      ctx(),
    );
    expect(tooLate.kind === 'refused' && tooLate.refusal.code).toBe('expired');
    expect((await store.get(late.state.requestId))?.state.status).toBe('awaiting-approval');
  });

  it('a click just before the instant races the expiry job: exactly one outcome, never an approval dated at or after expiresAt', async () => {
    const seen = new Map<ApprovalStatus, number>();
    for (let i = 0; i < ITERATIONS; i += 1) {
      const at = Date.now();
      const r = await requested('default', at);
      const id = r.state.requestId;
      const expiresAt = r.state.expiresAt ?? 0;
      const results = await Promise.all(
        shuffle<[ApprovalEvent, ApprovalContext]>([
          [{ type: 'approve', by: BOB, at: expiresAt - 1, acceptOutage: false }, ctx()],
          [{ type: 'expire', at: expiresAt }, ctx()],
          [{ type: 'approve', by: DAVE, at: expiresAt, acceptOutage: false }, ctx()],
        ]).map(([e, c]) => applyApprovalEvent(store, id, e, c)),
      );
      // BOB's approval may land first; the expiry job then still ends the request, which never
      // started (the worker refuses a request past its expiry anyway).
      const enders = results.map(ended).filter((s) => s !== null);
      expect([['expired'], ['approved'], ['approved', 'expired']]).toContainEqual(
        [...enders].sort(),
      );
      const final = (await store.get(id))?.state;
      expect(final?.status).toBe(enders.includes('expired') ? 'expired' : 'approved');
      expect(final?.approvals.every((a) => a.at < expiresAt)).toBe(true);
      expect(final?.approvals.map((a) => a.userId)).not.toContain(DAVE.userId);
      seen.set(enders[0] ?? 'proposed', (seen.get(enders[0] ?? 'proposed') ?? 0) + 1);
    }
    process.stdout.write(`expiry-instant races: ${JSON.stringify(Object.fromEntries(seen))}\n`);
  }, 60_000);
});

describe('the click handler over real Redis and the local Slack', () => {
  let deps: RemediationFlowDeps;
  let log: ReturnType<typeof rigLog>;
  let audit: RedisAuditLog;

  beforeAll(() => {
    const { client, posts } = createWebClients(LOCAL_SLACK_TOKEN, { apiUrl: standIn.url });
    const groups = new SlackUserGroups(
      new WebClient(LOCAL_SLACK_TOKEN, { slackApiUrl: standIn.url }),
      [POLICY.requesters, POLICY.approvers],
      silentLog,
    );
    log = rigLog();
    audit = new RedisAuditLog(redis);
    const policy: Policy = { commands: { channels: ['*'], users: ['*'] }, remediation: POLICY };
    deps = {
      policy,
      signer: testSigner,
      incidents: new RedisIncidentStore(redis, 3600),
      approvals: store,
      plan: () => Promise.reject(new Error('no planning in this test')),
      slack: new WebClientPoster(client, posts),
      userGroups: (userId) => groups.groupsOf(userId),
      enqueueExecution: () => Promise.resolve(),
      scheduleExpiry: () => Promise.resolve(),
      audit: recordAuditTo(audit, silentLog),
      now: () => Date.now(),
      log,
    };
  });

  const click = (requestId: string, user: Identity, button: 'approve' | 'deny' = 'approve') =>
    handleApprovalClick(deps, {
      button,
      requestId,
      user,
      team: user.teamId,
      channel: 'C0ALERTS',
      threadTs: '1700000000.000100',
    });
  const ephemeralsFor = (user: Identity) =>
    standIn
      .ephemerals('C0ALERTS')
      .filter((e) => e.user === user.userId)
      .map((e) => e.text);
  async function auditOf(pred: (e: AuditEvent) => boolean): Promise<AuditEvent[]> {
    const out: AuditEvent[] = [];
    for await (const e of audit.read({})) if (pred(e)) out.push(e);
    return out;
  }

  it('an approver allowed only through a user group is found with usergroups.users.list; a non-member is refused', async () => {
    const r = await requested('default', Date.now());
    const before = standIn.calls('usergroups.users.list').length;
    await click(r.state.requestId, { userId: 'U05EVE', teamId: TEAM });
    expect(ephemeralsFor({ userId: 'U05EVE', teamId: TEAM }).at(-1)).toContain(
      'is not an approver',
    );
    await click(r.state.requestId, CAROL);
    const stored = (await store.get(r.state.requestId))?.state;
    expect(stored).toMatchObject({ status: 'approved' });
    expect(stored?.approvals.map((a) => a.userId)).toEqual([CAROL.userId]);
    const asked = standIn.calls('usergroups.users.list').slice(before);
    expect(asked.map((c) => c.params.usergroup)).toContain('S0LEADS');
  });

  it('a request whose stored plan was corrupted answers the clicker with a ref, logs the details, changes nothing', async () => {
    const r = await requested('default', Date.now());
    const key = `portbot:approval:${r.state.requestId}`;
    await redis.hset(key, 'plan', JSON.stringify({ host: 'web-01', steps: 'kill -9 1' }));
    await click(r.state.requestId, BOB);
    const told = ephemeralsFor(BOB).at(-1) ?? '';
    const ref = /ref ([0-9a-f]{8})/.exec(told)?.[1];
    expect(ref).toBeDefined();
    expect(told).toContain('could not handle this click');
    expect(log.lines.find((l) => l.includes(`"ref":"${ref ?? 'none'}"`))).toMatch(
      /^error approval click could not be handled/,
    );
    expect(JSON.parse((await redis.hget(key, 'state')) ?? '{}')).toMatchObject({
      status: 'awaiting-approval',
      approvals: [],
    });
  });

  it('a flood of forged request ids from one user adds two audit records a minute, not one per click', async () => {
    const forged = Array.from({ length: 30 }, (_, i) => `forged${String(i).padStart(16, '0')}ab`);
    const before = ephemeralsFor(DAVE).length;
    await Promise.all(forged.map((id) => click(id, DAVE)));
    const records = await auditOf(
      (e) => e.type === 'remediation.approval.refused' && e.actor === DAVE.userId,
    );
    const codes = records.map((e) => e.detail.code);
    // Two records unless the minute turned over during the flood (then the new minute's first).
    expect(codes.slice(0, 2)).toEqual(['unknown-request', 'unknown-requests-suppressed']);
    expect(codes.length).toBeLessThanOrEqual(4);
    expect(ephemeralsFor(DAVE).length - before).toBe(30);
  });
});
