import { rigLog } from '../../support/inProcessWorkerRig';
import { testSigner } from '../../support/testSigner';
import type { Identity } from '../../../src/approval/ApprovalState';
import type { AuditEventInput } from '../../../src/audit/AuditEvent';
import { handleApprovalClick } from '../../../src/commands/handleApprovalClick';
import { handleRemediationButton } from '../../../src/commands/handleRemediationButton';
import { handleRequestSubmission } from '../../../src/commands/handleRequestSubmission';
import type { RemediationFlowDeps } from '../../../src/commands/RemediationFlowDeps';
import { RetryLater } from '../../../src/domain/RetryLater';
import type { Policy } from '../../../src/domain/Policy';
import type { Diagnosis } from '../../../src/domain/diagnosis';
import { planRemediation } from '../../../src/remediation/planRemediation';
import type { ApprovalButton } from '../../../src/render/slack/remediationIds';
import { BACKUP, diag, input, MASTER } from '../../support/factories/planInput';
import { MemoryApprovalStore } from '../../support/fakes/MemoryApprovalStore';
import { MemoryIncidentStore } from '../../support/fakes/MemoryIncidentStore';
import { RecordingSlack } from '../../support/fakes/RecordingSlack';
import { silentLog } from '../../support/fakes/silentLog';

const TEAM = 'T01';
const REQ: Identity = { userId: 'U01REQ', teamId: TEAM };
const APP2: Identity = { userId: 'U02APP', teamId: TEAM };
const APP3: Identity = { userId: 'U03APP', teamId: TEAM };
const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);

const POLICY: Policy = {
  commands: { channels: ['*'], users: ['*'] },
  remediation: {
    requesters: { users: [REQ.userId], groups: ['S0ONCALL'] },
    approvers: { users: [REQ.userId, APP2.userId, APP3.userId], groups: [] },
    approvals: { default: 1, vipHolder: 2 },
    expiryMinutes: 10,
  },
};

interface World {
  deps: RemediationFlowDeps;
  expiries: { requestId: string; at: number }[];
  slack: RecordingSlack;
  approvals: MemoryApprovalStore;
  audits: AuditEventInput[];
  enqueued: string[];
  plannedWith: boolean[];
  clock: { now: number };
  incidentId: string;
}

function world(
  o: { policy?: Policy; target?: Diagnosis; members?: Diagnosis[] | null } = {},
): World {
  const target = o.target ?? diag('foreign-listener', 'web-01', null);
  const incidents = new MemoryIncidentStore();
  const incident = incidents.add({
    host: target.host,
    port: target.port,
    channel: 'C0ALERTS',
    rootTs: '1700000000.000100',
  });
  incidents.diagnoses.set(incident.id, target);
  const slack = new RecordingSlack();
  const approvals = new MemoryApprovalStore();
  const audits: AuditEventInput[] = [];
  const enqueued: string[] = [];
  const plannedWith: boolean[] = [];
  const expiries: { requestId: string; at: number }[] = [];
  const clock = { now: T0 };
  const deps: RemediationFlowDeps = {
    policy: o.policy ?? POLICY,
    signer: testSigner,
    incidents,
    approvals,
    plan: (_host, _port, action, { acceptOutage }) => {
      plannedWith.push(acceptOutage);
      const members = o.members === undefined ? null : o.members;
      return Promise.resolve({
        kind: 'planned',
        result: planRemediation(input(action, target, members, { acceptOutage })),
        diagnoses: [target],
      });
    },
    slack,
    userGroups: (userId) => Promise.resolve(userId === 'U09GRP' ? ['S0ONCALL'] : []),
    enqueueExecution: (id) => {
      enqueued.push(id);
      return Promise.resolve();
    },
    scheduleExpiry: (requestId, at) => {
      expiries.push({ requestId, at });
      return Promise.resolve();
    },
    audit: (e) => {
      audits.push(e);
      return Promise.resolve();
    },
    now: () => clock.now,
    log: silentLog,
  };
  return {
    deps,
    expiries,
    slack,
    approvals,
    audits,
    enqueued,
    plannedWith,
    clock,
    incidentId: incident.id,
  };
}

function press(
  w: World,
  user: Identity,
  kind: 'kill-occupant' | 'escalate-owner' = 'kill-occupant',
) {
  return handleRemediationButton(w.deps, {
    incidentId: w.incidentId,
    kind,
    user,
    triggerId: 'trig-1',
    channel: 'C0ALERTS',
    threadTs: '1700000000.000100',
  });
}

async function requestMade(w: World): Promise<string> {
  await handleRequestSubmission(w.deps, {
    metadata: { incidentId: w.incidentId, action: 'kill-occupant' },
    reason: 'rogue listener on :80',
    user: REQ,
    team: TEAM,
  });
  const [id] = [...w.approvals.requests.keys()];
  if (!id) throw new Error('no request stored');
  return id;
}

function click(
  w: World,
  requestId: string,
  user: Identity,
  button: ApprovalButton = 'approve',
  team = TEAM,
) {
  return handleApprovalClick(w.deps, {
    button,
    requestId,
    user,
    team,
    channel: 'C0ALERTS',
    threadTs: '1700000000.000100',
  });
}

const lastEphemeral = (w: World) => w.slack.ephemerals.at(-1)?.text ?? '';
const types = (w: World) => w.audits.map((a) => a.type);
const actionIds = (blocks: unknown) =>
  JSON.stringify(blocks).match(/portbot:approval:[a-z-]+/g) ?? [];

describe('remediation button', () => {
  it('opens the request modal with a fresh plan for a requester', async () => {
    const w = world();
    await press(w, REQ);
    expect(w.slack.views).toHaveLength(1);
    expect(w.slack.views[0]?.triggerId).toBe('trig-1');
    expect(w.slack.views[0]?.view.callback_id).toBe('portbot:remediation:request');
    expect(JSON.parse(w.slack.views[0]?.view.private_metadata ?? '')).toEqual({
      incidentId: w.incidentId,
      action: 'kill-occupant',
    });
    expect(w.slack.ephemerals).toHaveLength(0);
  });

  it('accepts a requester through a user group', async () => {
    const w = world();
    await press(w, { userId: 'U09GRP', teamId: TEAM });
    expect(w.slack.views).toHaveLength(1);
  });

  it('without a remediation policy: says no approvers are configured, opens nothing', async () => {
    const w = world({ policy: { commands: { channels: ['*'], users: ['*'] } } });
    await press(w, REQ);
    expect(w.slack.views).toHaveLength(0);
    expect(lastEphemeral(w)).toMatch(/no approvers are configured/);
    expect(types(w)).toEqual(['button.refused']);
  });

  it('refuses a user who may not request, and an escalation', async () => {
    const w = world();
    await press(w, APP2);
    expect(lastEphemeral(w)).toMatch(/U02APP may not request remediation/);
    await press(w, REQ, 'escalate-owner');
    expect(lastEphemeral(w)).toMatch(/escalation/);
    expect(w.slack.views).toHaveLength(0);
  });

  it('refuses an incident that no longer exists', async () => {
    const w = world();
    w.incidentId = 'INC-gone';
    await press(w, REQ);
    expect(lastEphemeral(w)).toMatch(/expired/);
  });

  it('offers the outage plan when the HA peer is unhealthy', async () => {
    const master = diag('foreign-listener', 'lb-01', MASTER);
    const sick = diag('port-free-lb-down', 'lb-02', BACKUP);
    const w = world({ target: master, members: [master, sick] });
    await press(w, REQ);
    expect(w.plannedWith).toEqual([false, true]);
    expect(JSON.stringify(w.slack.views[0]?.view)).toMatch(/ACCEPTS AN OUTAGE/);
    const id = await requestMade(w);
    expect(actionIds(w.slack.posts[0]?.blocks)[0]).toBe('portbot:approval:approve-outage');
    await click(w, id, APP2);
    expect(lastEphemeral(w)).toMatch(/outage button/);
    await click(w, id, APP2, 'approveOutage');
    await click(w, id, APP3, 'approveOutage');
    expect(w.approvals.requests.get(id)?.state.status).toBe('approved');
    expect(w.enqueued).toEqual([id]);
  });
});

describe('request and approvals', () => {
  it('posts the approval message, refuses self-approval, approves once, enqueues once', async () => {
    const w = world();
    const id = await requestMade(w);
    expect(w.approvals.requests.get(id)?.state).toMatchObject({
      status: 'awaiting-approval',
      requester: REQ,
      required: 1,
    });
    expect(w.slack.posts).toHaveLength(1);
    expect(w.slack.posts[0]?.threadTs).toBe('1700000000.000100');
    expect(actionIds(w.slack.posts[0]?.blocks)).toEqual([
      'portbot:approval:approve',
      'portbot:approval:deny',
      'portbot:approval:cancel',
    ]);
    expect(w.approvals.requests.get(id)?.message.messageTs).toBe('1700000000.000001');

    await click(w, id, REQ);
    expect(lastEphemeral(w)).toMatch(/cannot approve or deny their own request/);
    expect(w.enqueued).toEqual([]);

    await click(w, id, APP2);
    expect(w.enqueued).toEqual([id]);
    // A repeat click re-drives the execution job (BullMQ's job id makes it one job).
    await click(w, id, APP2);
    expect(w.approvals.requests.get(id)?.state.status).toBe('approved');
    expect(w.enqueued).toEqual([id, id]);
    expect(lastEphemeral(w)).toMatch(/already approved: its execution was queued again/);
    const update = w.slack.updates.at(-1);
    expect(update?.ts).toBe('1700000000.000001');
    expect(actionIds(update?.blocks)).toEqual([]);
    // The requester is told by DM; the thread reply tells the channel without pinging them again.
    expect(w.slack.dmsOpened).toEqual([REQ.userId]);
    const [dm, notice] = w.slack.posts.slice(-2);
    expect(dm?.channel).toBe('D01REQ');
    expect(dm?.threadTs).toBeUndefined();
    expect(JSON.stringify(dm?.blocks)).toMatch(
      /Your request to kill-occupant on web-01:80 was approved and is queued for execution\.\\nApproved by <@U02APP>\./,
    );
    expect(JSON.stringify(dm?.blocks)).toContain(`Incident \`${w.incidentId}\``);
    expect(JSON.stringify(dm?.blocks)).toContain('thread in <#C0ALERTS>');
    expect(notice?.threadTs).toBe('1700000000.000100');
    expect(JSON.stringify(notice?.blocks)).toMatch(
      /The request to kill-occupant on web-01:80 was approved/,
    );
    expect(JSON.stringify(notice?.blocks)).not.toContain('<@U01REQ>');
    expect(types(w)).toEqual([
      'remediation.requested',
      'remediation.approval.refused',
      'remediation.approved',
      'remediation.execution.requeued',
    ]);
    expect(w.audits.every((a) => a.detail.requestId === id)).toBe(true);
  });

  it('deny wins over an approval already given', async () => {
    const w = world({
      policy: {
        ...POLICY,
        remediation: { ...POLICY.remediation!, approvals: { default: 2, vipHolder: 2 } },
      },
    });
    const id = await requestMade(w);
    await click(w, id, APP2);
    await click(w, id, APP3, 'deny');
    await click(w, id, APP3);
    expect(w.approvals.requests.get(id)?.state).toMatchObject({
      status: 'denied',
      decidedBy: APP3,
    });
    expect(w.slack.dmsOpened).toEqual([REQ.userId]);
    const dm = w.slack.posts.find((p) => p.channel === 'D01REQ');
    expect(JSON.stringify(dm?.blocks)).toMatch(
      /was denied: nothing was run\.\\nDenied by <@U03APP>/,
    );
    expect(w.enqueued).toEqual([]);
    expect(types(w)).toEqual([
      'remediation.requested',
      'remediation.approved',
      'remediation.denied',
      'remediation.approval.refused',
    ]);
  });

  it('the requester may cancel; nobody else may', async () => {
    const w = world();
    const id = await requestMade(w);
    await click(w, id, APP2, 'cancel');
    expect(lastEphemeral(w)).toMatch(/only the requester may cancel/);
    await click(w, id, REQ, 'cancel');
    expect(w.approvals.requests.get(id)?.state.status).toBe('cancelled');
  });

  it('refuses an unknown or forged request id, another workspace, and an expired request', async () => {
    const w = world();
    const id = await requestMade(w);
    await click(w, 'forged-id', APP2);
    expect(lastEphemeral(w)).toMatch(/Unknown or expired remediation request/);
    expect(w.audits.at(-1)).toMatchObject({
      type: 'remediation.approval.refused',
      detail: { requestId: 'forged-id', code: 'unknown-request' },
    });
    await click(w, id, { userId: APP2.userId, teamId: 'T99' });
    expect(lastEphemeral(w)).toMatch(/not a member of this workspace/);
    w.clock.now = T0 + 11 * 60_000;
    await click(w, id, APP2);
    expect(lastEphemeral(w)).toMatch(/expired/);
    expect(w.approvals.requests.get(id)?.state.status).toBe('awaiting-approval');
    expect(w.enqueued).toEqual([]);
  });
});

describe('workspaces (workspaces unset: the team the interaction came from)', () => {
  it('refuses a requester of another team submitting in the served workspace, audited wrong-team', async () => {
    const w = world();
    await handleRequestSubmission(w.deps, {
      metadata: { incidentId: w.incidentId, action: 'kill-occupant' },
      reason: 'rogue listener on :80',
      user: { userId: REQ.userId, teamId: 'T0EVIL' },
      team: TEAM,
    });
    expect(lastEphemeral(w)).toMatch(/Your request was not made: U01REQ is not a member/);
    expect(w.audits.at(-1)).toMatchObject({
      type: 'remediation.approval.refused',
      detail: { code: 'wrong-team', teamId: 'T0EVIL' },
    });
    expect([...w.approvals.requests.values()].map((r) => r.state.status)).not.toContain(
      'awaiting-approval',
    );
  });

  it('refuses an approver of another team, and a click coming from another workspace', async () => {
    const w = world();
    const id = await requestMade(w);
    await click(w, id, { userId: APP2.userId, teamId: 'T0EVIL' }, 'approve', TEAM);
    expect(lastEphemeral(w)).toMatch(/not a member of this workspace/);
    await click(w, id, { userId: APP2.userId, teamId: 'T0EVIL' }, 'approve', 'T0EVIL');
    expect(lastEphemeral(w)).toMatch(/not a member of this workspace/);
    expect(w.audits.slice(-2).map((a) => [a.type, a.detail.code])).toEqual([
      ['remediation.approval.refused', 'wrong-team'],
      ['remediation.approval.refused', 'wrong-team'],
    ]);
    expect(w.approvals.requests.get(id)?.state).toMatchObject({
      status: 'awaiting-approval',
      approvals: [],
    });
    expect(w.enqueued).toEqual([]);
  });
});

describe('request submissions checked before planning', () => {
  const submit = (w: World, user: Identity, action: 'kill-occupant' | 'escalate-kill') =>
    handleRequestSubmission(w.deps, {
      metadata: { incidentId: w.incidentId, action },
      reason: 'rogue listener on :80',
      user,
      team: TEAM,
    });

  it('a non-requester probes no host and leaves no record; told why, audited', async () => {
    const w = world();
    await submit(w, { userId: 'U07NOBODY', teamId: TEAM }, 'kill-occupant');
    expect(w.plannedWith).toEqual([]);
    expect(w.approvals.requests.size).toBe(0);
    expect(lastEphemeral(w)).toMatch(/not made: U07NOBODY may not request remediation/);
    expect(w.audits).toMatchObject([
      { type: 'remediation.approval.refused', detail: { code: 'not-requester' } },
    ]);
  });

  it('escalate-kill in private_metadata is refused: no diagnosis button offers SIGKILL', async () => {
    const w = world();
    await submit(w, REQ, 'escalate-kill');
    expect(w.plannedWith).toEqual([]);
    expect(w.approvals.requests.size).toBe(0);
    expect(lastEphemeral(w)).toMatch(
      /not made: escalate-kill is not an action this incident's diagnosis offers/,
    );
    expect(w.audits).toMatchObject([
      {
        type: 'remediation.approval.refused',
        detail: { code: 'action-not-offered', action: 'escalate-kill' },
      },
    ]);
  });

  it('an action the current diagnosis does not offer is refused by the fresh plan', async () => {
    const w = world({ target: diag('lb-not-listening', 'web-01', null) });
    await submit(w, REQ, 'kill-occupant');
    expect(lastEphemeral(w)).toMatch(/not made: refused \(action-not-offered\)/);
    expect(w.approvals.requests.size).toBe(0);
  });
});

describe('a flood of unknown request ids', () => {
  it('is audited once per user and minute, plus one record that more were dropped', async () => {
    const w = world();
    const forged = Array.from({ length: 25 }, (_, i) => `forged-${i}`);
    await Promise.all(forged.map((id) => click(w, id, APP2)));
    await click(w, 'forged-x', APP3);
    const codes = () =>
      w.audits
        .filter((a) => a.type === 'remediation.approval.refused')
        .map((a) => `${a.actor} ${String(a.detail.code)}`);
    expect(codes()).toEqual([
      'U02APP unknown-request',
      'U02APP unknown-requests-suppressed',
      'U03APP unknown-request',
    ]);
    // Every click was still answered.
    expect(w.slack.ephemerals.filter((e) => /Unknown or expired/.test(e.text))).toHaveLength(26);
    w.clock.now += 60_000;
    await click(w, 'forged-late', APP2);
    expect(codes().at(-1)).toBe('U02APP unknown-request');
  });
});

describe('a request that cannot be read', () => {
  it('a corrupt stored request gets the clicker an ephemeral with a ref; the log has the details', async () => {
    const w = world();
    const id = await requestMade(w);
    const log = rigLog();
    w.deps.log = log;
    // What RedisApprovalStore.get does with a plan edited into something its schema refuses.
    w.approvals.get = () =>
      Promise.reject(new Error('plan.steps: expected array, received string'));
    await click(w, id, APP2);
    const ref = /ref ([0-9a-f]{8})/.exec(lastEphemeral(w))?.[1];
    expect(lastEphemeral(w)).toContain('could not handle this click');
    expect(lastEphemeral(w)).not.toContain('expected array');
    expect(log.lines).toEqual([
      expect.stringMatching(
        new RegExp(`^error approval click could not be handled .*"ref":"${ref}".*expected array`),
      ),
    ]);
  });
});

describe('expiry and the outcome DM', () => {
  it('a request schedules its expiry once, at expiresAt', async () => {
    const w = world();
    const id = await requestMade(w);
    expect(w.expiries).toEqual([{ requestId: id, at: T0 + 10 * 60_000 }]);
    await click(w, id, APP2);
    expect(w.expiries).toHaveLength(1);
  });

  it('a DM that fails is logged with the incident; the thread reply pings the requester instead', async () => {
    const w = world();
    const warnings: { obj: object; msg: string }[] = [];
    w.deps.log = { ...silentLog, warn: (obj, msg) => warnings.push({ obj, msg }) };
    w.slack.dmError = new Error('Slack answered user_disabled');
    const id = await requestMade(w);
    await click(w, id, APP2, 'deny');
    expect(w.approvals.requests.get(id)?.state.status).toBe('denied');
    expect(w.slack.posts.some((p) => p.channel.startsWith('D'))).toBe(false);
    const notice = w.slack.posts.at(-1);
    expect(notice?.threadTs).toBe('1700000000.000100');
    expect(JSON.stringify(notice?.blocks)).toMatch(/<@U01REQ> your request to kill-occupant/);
    expect(warnings).toEqual([
      {
        msg: 'outcome DM to the requester failed; told in the thread',
        obj: expect.objectContaining({
          incidentId: w.incidentId,
          requestId: id,
          host: 'web-01',
          port: 80,
          err: 'Slack answered user_disabled',
        }) as object,
      },
    ]);
    expect(types(w)).toEqual(['remediation.requested', 'remediation.denied']);
  });

  it('a cancel tells nobody: the requester did it', async () => {
    const w = world();
    const id = await requestMade(w);
    await click(w, id, REQ, 'cancel');
    expect(w.slack.dmsOpened).toEqual([]);
  });

  it('Slack failing on the final approval still queues the execution (the message is best-effort)', async () => {
    const w = world();
    const id = await requestMade(w);
    w.slack.update = () => Promise.reject(new Error('Slack answered internal_error'));
    w.slack.post = () => Promise.reject(new Error('Slack answered internal_error'));

    await click(w, id, APP2);

    expect(w.approvals.requests.get(id)?.state.status).toBe('approved');
    expect(w.enqueued).toEqual([id]);
    expect(types(w)).toEqual(['remediation.requested', 'remediation.approved']);
  });

  it('a rate-limited approval post is retried after Retry-After, and lands once', async () => {
    const w = world();
    const post = w.slack.post.bind(w.slack);
    let refused = 0;
    w.slack.post = (msg) => {
      if (refused < 2) {
        refused += 1;
        return Promise.reject(new RetryLater(20, 'Slack answered 429'));
      }
      return post(msg);
    };

    const id = await requestMade(w);

    expect(refused).toBe(2);
    expect(w.slack.posts).toHaveLength(1);
    expect(w.approvals.requests.get(id)?.state.status).toBe('awaiting-approval');
  });

  it('an approval message Slack never took withdraws the request and tells the requester', async () => {
    const w = world();
    w.slack.post = () => Promise.reject(new Error('Slack answered channel_not_found'));

    const id = await requestMade(w);

    expect(w.approvals.requests.get(id)?.state).toMatchObject({
      status: 'cancelled',
      decidedBy: REQ,
    });
    expect(w.enqueued).toEqual([]);
    expect(types(w)).toEqual(['remediation.requested', 'remediation.cancelled']);
    expect(lastEphemeral(w)).toMatch(/it was withdrawn and nothing will run/);
  });
});
