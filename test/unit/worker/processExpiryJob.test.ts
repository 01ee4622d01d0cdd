import { testSigner } from '../../support/testSigner';
import type { ApprovalState, Identity } from '../../../src/approval/ApprovalState';
import type { RemediationRequest } from '../../../src/approval/ApprovalStore';
import { approvalTransition } from '../../../src/approval/approvalTransition';
import { newApprovalRequest } from '../../../src/approval/newApprovalRequest';
import type { AuditEventInput } from '../../../src/audit/AuditEvent';
import type { RemediationPolicy } from '../../../src/domain/Policy';
import { isRetryLater } from '../../../src/domain/RetryLater';
import type { RemediationPlan } from '../../../src/remediation/RemediationPlan';
import { processExpiryJob } from '../../../src/worker/processExpiryJob';
import { MemoryApprovalStore } from '../../support/fakes/MemoryApprovalStore';
import { RecordingSlack } from '../../support/fakes/RecordingSlack';
import { silentLog } from '../../support/fakes/silentLog';

const TEAM = 'T01';
const REQ: Identity = { userId: 'U01REQ', teamId: TEAM };
const APP: Identity = { userId: 'U02APP', teamId: TEAM };
const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const EXPIRES = T0 + 600_000;
const POLICY: RemediationPolicy = {
  requesters: { users: [REQ.userId], groups: [] },
  approvers: { users: [APP.userId], groups: [] },
  approvals: { default: 1, vipHolder: 2 },
  expiryMinutes: 10,
};
const PLAN: RemediationPlan = {
  host: 'lb-01',
  port: 80,
  action: 'kill-occupant',
  approvalClass: 'default',
  target: null,
  ha: null,
  steps: [],
};
const ID = 'AAAAAAAAAAAAAAAAAAAAAA';

function awaiting(): ApprovalState {
  const r = approvalTransition(
    newApprovalRequest(ID, 'INC-1', PLAN, 'a'.repeat(64)),
    { type: 'request', by: REQ, reason: 'rogue listener', at: T0 },
    { policy: POLICY, teamId: TEAM, actorGroups: [], signer: testSigner },
  );
  if (!r.ok) throw new Error(r.refusal.code);
  return r.state;
}

function world(state: ApprovalState = awaiting()) {
  const approvals = new MemoryApprovalStore();
  const request: RemediationRequest = {
    state,
    plan: PLAN,
    message: { channel: 'C0ALERTS', threadTs: '1700000000.000100', messageTs: '1700000000.000200' },
  };
  approvals.requests.set(ID, request);
  const slack = new RecordingSlack();
  const audits: AuditEventInput[] = [];
  const clock = { now: EXPIRES };
  const queued: string[] = [];
  const deps = {
    approvals,
    slack,
    audit: (e: AuditEventInput) => {
      audits.push(e);
      return Promise.resolve();
    },
    enqueueExecution: (id: string) => {
      queued.push(id);
      return Promise.resolve();
    },
    scheduleExpiry: (id: string) => {
      queued.push(id);
      return Promise.resolve();
    },
    log: silentLog,
    now: () => clock.now,
  };
  return { deps, approvals, slack, audits, clock, queued };
}

const actionIds = (blocks: unknown) =>
  JSON.stringify(blocks).match(/portbot:approval:[a-z-]+/g) ?? [];

describe('processExpiryJob', () => {
  it('expires an undecided request: audited, message updated in place without buttons, requester told', async () => {
    const w = world();
    expect(await processExpiryJob(w.deps, ID)).toBe('expired');
    expect(w.approvals.requests.get(ID)?.state.status).toBe('expired');
    expect(w.audits.map((a) => [a.type, a.actor, a.detail.requestId])).toEqual([
      ['remediation.expired', 'system', ID],
    ]);
    expect(w.slack.updates).toHaveLength(1);
    expect(w.slack.updates[0]).toMatchObject({ channel: 'C0ALERTS', ts: '1700000000.000200' });
    expect(w.slack.updates[0]?.text).toMatch(/Expired: nothing was run/);
    expect(actionIds(w.slack.updates[0]?.blocks)).toEqual([]);
    expect(w.slack.dmsOpened).toEqual([REQ.userId]);
    expect(w.slack.posts.map((p) => p.channel)).toEqual(['D01REQ', 'C0ALERTS']);
    expect(JSON.stringify(w.slack.posts[0]?.blocks)).toMatch(
      /expired without enough approvals: nothing was run/,
    );
    expect(w.queued).toEqual([]);
  });

  it('a second run (an earlier one stopped part-way) renders the message again and tells nobody twice', async () => {
    const w = world();
    await processExpiryJob(w.deps, ID);
    expect(await processExpiryJob(w.deps, ID)).toBe('expired');
    expect(w.audits).toHaveLength(1);
    expect(w.slack.updates).toHaveLength(2);
    expect(w.slack.updates[1]?.blocks).toEqual(w.slack.updates[0]?.blocks);
    expect(w.slack.posts).toHaveLength(2);
    expect(w.slack.dmsOpened).toHaveLength(1);
  });

  it('a request started before its expiry changes nothing', async () => {
    const ctx = { policy: POLICY, teamId: TEAM, actorGroups: [], signer: testSigner };
    const approved = approvalTransition(
      awaiting(),
      { type: 'approve', by: APP, at: T0 + 1000, acceptOutage: false },
      ctx,
    );
    if (!approved.ok) throw new Error(approved.refusal.code);
    const started = approvalTransition(approved.state, { type: 'start', at: T0 + 2000 }, ctx);
    if (!started.ok) throw new Error(started.refusal.code);
    const w = world(started.state);
    expect(await processExpiryJob(w.deps, ID)).toBe('already-decided');
    expect(w.approvals.requests.get(ID)?.state).toEqual(started.state);
    expect(w.audits).toEqual([]);
    expect(w.slack.updates).toEqual([]);
    expect(w.slack.posts).toEqual([]);
  });

  it('ends a request approved but never started (its job never queued): expired, audited, no buttons', async () => {
    const approved = approvalTransition(
      awaiting(),
      { type: 'approve', by: APP, at: T0 + 1000, acceptOutage: false },
      { policy: POLICY, teamId: TEAM, actorGroups: [], signer: testSigner },
    );
    if (!approved.ok) throw new Error(approved.refusal.code);
    const w = world(approved.state);
    expect(await processExpiryJob(w.deps, ID)).toBe('expired');
    expect(w.approvals.requests.get(ID)?.state.status).toBe('expired');
    expect(w.audits).toMatchObject([
      { type: 'remediation.expired', detail: { requestId: ID, was: 'approved' } },
    ]);
    expect(w.slack.updates).toHaveLength(1);
    expect(actionIds(w.slack.updates[0]?.blocks)).toEqual([]);
    expect(w.queued).toEqual([]);
  });

  it('a job that fires early waits until expiresAt, changing nothing', async () => {
    const w = world();
    w.clock.now = EXPIRES - 1500;
    const err: unknown = await processExpiryJob(w.deps, ID).catch((e: unknown) => e);
    expect(isRetryLater(err) ? err.retryInMs : err).toBe(1500);
    expect(w.approvals.requests.get(ID)?.state.status).toBe('awaiting-approval');
    expect(w.audits).toEqual([]);
  });

  it('a request no longer stored is nothing to do', async () => {
    const w = world();
    w.approvals.requests.clear();
    expect(await processExpiryJob(w.deps, ID)).toBe('unknown');
    expect(w.slack.updates).toEqual([]);
  });
});
