import { testSigner } from '../../support/testSigner';
import type { Redis } from 'ioredis';
import type { ApprovalContext, Identity } from '../../../src/approval/ApprovalState';
import type { RemediationRequest } from '../../../src/approval/ApprovalStore';
import { applyApprovalEvent } from '../../../src/approval/applyApprovalEvent';
import { newApprovalRequest } from '../../../src/approval/newApprovalRequest';
import { RedisApprovalStore } from '../../../src/approval/redis/RedisApprovalStore';
import type { RemediationPolicy } from '../../../src/domain/Policy';
import { planRemediation } from '../../../src/remediation/planRemediation';
import type { RemediationPlan } from '../../../src/remediation/RemediationPlan';
import { diag, input } from '../../support/factories/planInput';
import { connectTestRedis } from '../../support/testRedis';

const DB = 4;
const TEAM = 'T01';
const T0 = Date.now();
const REQUESTER: Identity = { userId: 'U01REQ', teamId: TEAM };
const APPROVERS = ['U02APP', 'U03APP', 'U04APP', 'U05APP'];

let redis: Redis;
let store: RedisApprovalStore;

beforeAll(async () => {
  redis = await connectTestRedis(DB);
  store = new RedisApprovalStore(redis);
});

afterAll(async () => {
  await redis?.quit();
});

function plan(): RemediationPlan {
  const r = planRemediation(input('kill-occupant', diag('foreign-listener', 'web-01', null), null));
  if (!r.ok) throw new Error(r.reason);
  return r.plan;
}

function policy(vipHolder: number): RemediationPolicy {
  return {
    requesters: { users: [REQUESTER.userId], groups: [] },
    approvers: { users: APPROVERS, groups: [] },
    approvals: { default: 1, vipHolder },
    expiryMinutes: 10,
  };
}

async function requested(p: RemediationPlan, ctx: ApprovalContext): Promise<RemediationRequest> {
  const created = await store.create((id) => ({
    state: newApprovalRequest(id, 'inc-1', p, 'd'.repeat(64)),
    plan: p,
    message: { channel: 'C01', threadTs: '1700000000.000100', messageTs: null },
  }));
  const r = await applyApprovalEvent(
    store,
    created.state.requestId,
    { type: 'request', by: REQUESTER, reason: 'rogue listener on :80', at: T0 },
    ctx,
  );
  if (r.kind !== 'applied') throw new Error(r.kind);
  return r.request;
}

describe('RedisApprovalStore', () => {
  it('stores a request under an opaque id and reads back the same state and plan', async () => {
    const p = plan();
    const created = await store.create((id) => ({
      state: newApprovalRequest(id, 'inc-1', p, 'd'.repeat(64)),
      plan: p,
      message: { channel: 'C01', threadTs: '1700000000.000100', messageTs: null },
    }));
    expect(created.state.requestId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await store.get(created.state.requestId)).toEqual(created);
    await store.setMessageTs(created.state.requestId, '1700000001.000200');
    expect((await store.get(created.state.requestId))?.message.messageTs).toBe('1700000001.000200');
    const ttl = await redis.pttl(`portbot:approval:${created.state.requestId}`);
    expect(ttl).toBeGreaterThan(10 * 60_000);
  });

  it('answers null for unknown and malformed ids', async () => {
    expect(await store.get('AAAAAAAAAAAAAAAAAAAAAA')).toBeNull();
    expect(await store.get('../../etc')).toBeNull();
    expect(await store.get('')).toBeNull();
  });

  it('refuses a write on a stale version', async () => {
    const req = await requested(plan(), {
      policy: policy(2),
      teamId: TEAM,
      actorGroups: [],
      signer: testSigner,
    });
    const stale = { ...req.state, version: req.state.version + 1, reason: 'overwritten' };
    expect(await store.compareAndSet(req.state.version - 1, stale)).toBe(false);
    expect(await store.compareAndSet(req.state.version, stale)).toBe(true);
    expect((await store.get(req.state.requestId))?.state.reason).toBe('overwritten');
  });

  it('applies 20 concurrent approvals exactly once per distinct user, and approves once', async () => {
    const p = { ...plan(), approvalClass: 'vip-holder' as const };
    const ctx: ApprovalContext = {
      policy: policy(3),
      teamId: TEAM,
      actorGroups: [],
      signer: testSigner,
    };
    const req = await requested(p, ctx);
    expect(req.state).toMatchObject({ status: 'awaiting-approval', version: 1, required: 3 });
    // Four approvers, each clicking five times at once: three distinct approvals are needed.
    const clicks = Array.from({ length: 20 }, (_, i) => APPROVERS[i % 4] ?? '');
    const results = await Promise.all(
      clicks.map((userId) =>
        applyApprovalEvent(
          store,
          req.state.requestId,
          { type: 'approve', by: { userId, teamId: TEAM }, at: T0 + 1000, acceptOutage: false },
          ctx,
        ),
      ),
    );
    // A click landing after the third approval only re-queues the execution (no state change
    // but the version; BullMQ's job id dedupes the job): counted apart from the approvals.
    const isRequeue = (r: (typeof results)[number]) =>
      r.kind === 'applied' &&
      r.effects.some((e) => e.kind === 'audit' && e.type === 'remediation.execution.requeued');
    const applied = results.flatMap((r) => (r.kind === 'applied' && !isRequeue(r) ? [r] : []));
    const requeues = results.filter(isRequeue);
    const refused = results.flatMap((r) => (r.kind === 'refused' ? [r.refusal.code] : []));
    expect(applied).toHaveLength(3);
    expect(refused.length + requeues.length).toBe(17);
    expect(refused.every((c) => c === 'already-approved')).toBe(true);
    expect(
      requeues.every((r) => r.kind === 'applied' && r.request.state.status === 'approved'),
    ).toBe(true);
    const approvers = applied.map((r) => r.request.state.approvals.at(-1)?.userId);
    expect(new Set(approvers).size).toBe(3);
    expect(applied.map((r) => r.request.state.version).sort()).toEqual([2, 3, 4]);
    expect(
      requeues
        .map((r) => (r.kind === 'applied' ? r.request.state.version : 0))
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: requeues.length }, (_, i) => 5 + i));
    const enqueues = applied.flatMap((r) =>
      r.effects.filter((e) => e.kind === 'enqueue-execution'),
    );
    expect(enqueues).toHaveLength(1);
    const final = await store.get(req.state.requestId);
    expect(final?.state).toMatchObject({ status: 'approved', version: 4 + requeues.length });
    expect(final?.state.approvals.map((a) => a.userId).sort()).toEqual([...approvers].sort());
  });
});
