import type { RemediationPolicy } from '../../../src/domain/Policy';
import { signedState, testSigner } from '../../support/testSigner';
import type { ApprovalState } from '../../../src/approval/ApprovalState';
import type { RemediationRequest } from '../../../src/approval/ApprovalStore';
import { newApprovalRequest } from '../../../src/approval/newApprovalRequest';
import { isRetryLater } from '../../../src/domain/RetryLater';
import type { ExecutionOutcome, StepProgress } from '../../../src/remediation/ExecutionPorts';
import { AuditWriteError } from '../../../src/remediation/executePlan';
import { outcomeAuditEvent } from '../../../src/remediation/outcomeAuditEvent';
import { EXECUTION_STARTED_EVENT } from '../../../src/remediation/startRefusal';
import { planDigest } from '../../../src/remediation/planDigest';
import { planRemediation } from '../../../src/remediation/planRemediation';
import type { RemediationPlan } from '../../../src/remediation/RemediationPlan';
import {
  processRemediationJob,
  type RemediationJobDeps,
} from '../../../src/worker/processRemediationJob';
import { diag, input } from '../../support/factories/planInput';
import { MemoryApprovalStore } from '../../support/fakes/MemoryApprovalStore';
import {
  MemoryAuditLog,
  MemoryFencingLock,
  MemoryStepJournal,
} from '../../support/fakes/MemoryExecutionPorts';
import { RecordingSlack } from '../../support/fakes/RecordingSlack';
import { silentLog } from '../../support/fakes/silentLog';

const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);
const POLICY: RemediationPolicy = {
  requesters: { users: ['U01REQ'], groups: [] },
  approvers: { users: ['U02APP'], groups: [] },
  approvals: { default: 1, vipHolder: 2 },
  expiryMinutes: 10,
};
const ID = 'Xq3v9JkLmN0pQrStUvWxYz';

function killPlan(): RemediationPlan {
  const r = planRemediation(input('kill-occupant', diag('foreign-listener', 'web-01', null), null));
  if (!r.ok) throw new Error(r.reason);
  return r.plan;
}

interface World {
  deps: RemediationJobDeps;
  approvals: MemoryApprovalStore;
  audit: MemoryAuditLog;
  lock: MemoryFencingLock;
  journal: MemoryStepJournal;
  slack: RecordingSlack;
  runs: string[];
}

function world(
  status: ApprovalState['status'],
  run: (p: (s: StepProgress) => Promise<void>, plan: RemediationPlan) => Promise<ExecutionOutcome>,
  o: { digest?: string } = {},
): World {
  const plan = killPlan();
  const state: ApprovalState = signedState({
    ...newApprovalRequest(ID, 'inc-1', plan, o.digest ?? planDigest(plan)),
    status,
    version: 3,
    requester: { userId: 'U01REQ', teamId: 'T01' },
    reason: 'rogue listener',
    requestedAt: T0,
    expiresAt: T0 + 600_000,
    required: 1,
    approvals: [{ userId: 'U02APP', teamId: 'T01', at: T0 + 1000 }],
  });
  const request: RemediationRequest = {
    state,
    plan,
    message: { channel: 'C01', threadTs: '1.1', messageTs: '1.2' },
  };
  const approvals = new MemoryApprovalStore();
  approvals.requests.set(ID, request);
  const audit = new MemoryAuditLog(() => T0 + 5000);
  const lock = new MemoryFencingLock();
  const journal = new MemoryStepJournal();
  const slack = new RecordingSlack();
  const runs: string[] = [];
  const deps: RemediationJobDeps = {
    approvals,
    effects: {
      slack,
      approvals,
      audit: (e) => audit.append(e).then(() => undefined),
      enqueueExecution: () => Promise.reject(new Error('never enqueued by the worker')),
      scheduleExpiry: () => Promise.reject(new Error('never scheduled by the worker')),
      log: silentLog,
    },
    // What executePlan does around its steps: settle the outcome, and only the winner audits it.
    execute: async (p, ctx, ports) => {
      runs.push(`${ctx.requestId} by ${ctx.actor}`);
      const outcome = await run(async (s) => ports.onProgress(s), p);
      if (await ports.settle(outcome)) {
        await audit.append(outcomeAuditEvent(p, ctx, outcome)).catch((err: unknown) => {
          throw new AuditWriteError(ctx.requestId, err);
        });
      }
      return outcome;
    },
    lock,
    journal,
    audit,
    approvalContext: { policy: POLICY, teamId: '', actorGroups: [], signer: testSigner },
    lockTtlMs: 60_000,
    now: () => T0 + 5000,
    log: silentLog,
  };
  return { deps, approvals, audit, lock, journal, slack, runs };
}

const succeeded = (n: number): ExecutionOutcome => ({
  status: 'succeeded',
  code: null,
  reason: `${n} steps done`,
  lastCompletedStep: n,
  leftBehind: null,
});

const stateOf = (w: World) => w.approvals.requests.get(ID)?.state;

describe('processRemediationJob', () => {
  it('runs an approved request once: executing, a state change per step, succeeded, requester told', async () => {
    const w = world('approved', async (progress, plan) => {
      for (const [i, step] of plan.steps.entries()) {
        await progress({ number: i + 1, step, status: 'running', detail: null });
        await progress({ number: i + 1, step, status: 'done', detail: null });
      }
      return succeeded(plan.steps.length);
    });
    const steps = killPlan().steps.length;

    await expect(processRemediationJob(w.deps, ID)).resolves.toBe('succeeded');

    expect(w.runs).toEqual([`${ID} by U02APP`]);
    expect(stateOf(w)).toMatchObject({ status: 'succeeded', stepsDone: steps });
    // start + one per step done + finish, each re-rendering the one approval message
    expect(w.slack.updates).toHaveLength(steps + 2);
    expect(w.slack.updates.every((u) => u.ts === '1.2')).toBe(true);
    expect(w.slack.updates.at(-1)?.text).toContain('Succeeded');
    expect(w.slack.posts.map((p) => p.text).join('\n')).toContain('succeeded');
  });

  it('a second pick-up of a finished request runs nothing', async () => {
    const w = world('approved', (_p, plan) => Promise.resolve(succeeded(plan.steps.length)));
    await processRemediationJob(w.deps, ID);
    await expect(processRemediationJob(w.deps, ID)).resolves.toBe('already-decided');
    expect(w.runs).toHaveLength(1);
  });

  it('a request found executing belongs to a lost worker: aborted with the journal, nothing run', async () => {
    const w = world('executing', () => Promise.reject(new Error('must not run')));
    await w.journal.begin(ID, 1);
    await w.journal.complete(ID, 1);
    await w.journal.begin(ID, 2);

    await expect(processRemediationJob(w.deps, ID)).resolves.toBe('aborted');

    expect(w.runs).toEqual([]);
    expect(stateOf(w)?.status).toBe('aborted');
    expect(stateOf(w)?.outcomeReason).toContain(
      'stopped after step 1 with a step of unknown outcome',
    );
    expect(w.audit.events.map((e) => [e.type, e.detail.code])).toEqual([
      ['remediation.aborted', 'worker-lost'],
    ]);
  });

  it('while the lost run still holds the fencing lock, the job waits instead of declaring it dead', async () => {
    const w = world('executing', () => Promise.reject(new Error('must not run')));
    await w.lock.acquire('host/web-01');

    const err: unknown = await processRemediationJob(w.deps, ID).catch((e: unknown) => e);

    expect(isRetryLater(err)).toBe(true);
    expect(stateOf(w)?.status).toBe('executing');
    expect(w.audit.events).toEqual([]);
  });

  it('a stored plan that no longer matches the approved hash is aborted before any step', async () => {
    const w = world('approved', () => Promise.reject(new Error('must not run')), {
      digest: 'f'.repeat(64),
    });

    await expect(processRemediationJob(w.deps, ID)).resolves.toBe('aborted');

    expect(w.runs).toEqual([]);
    expect(w.audit.events.map((e) => e.type)).toEqual(['remediation.aborted']);
    expect(stateOf(w)?.outcomeReason).toContain('does not match the plan hash');
  });

  it('approvals written into Redis without the key of serve are not trusted: aborted, nothing run', async () => {
    const w = world('approved', () => Promise.reject(new Error('must not run')));
    const cur = w.approvals.requests.get(ID);
    if (!cur) throw new Error('no request');
    const forged = { userId: 'U09EVE', teamId: 'T01', at: T0 + 2000, mac: 'ab'.repeat(32) };
    w.approvals.requests.set(ID, { ...cur, state: { ...cur.state, approvals: [forged] } });

    await expect(processRemediationJob(w.deps, ID)).resolves.toBe('aborted');

    expect(w.runs).toEqual([]);
    expect(stateOf(w)?.outcomeReason).toBe(
      '0 of 1 required approvals carry a valid signature (1 recorded): nothing was run',
    );
    expect(w.audit.events.map((e) => [e.type, e.actor, e.detail.code])).toEqual([
      ['remediation.aborted', 'system', 'unverified-request'],
    ]);
  });

  it('an aborted plan keeps what stopping left behind in the outcome', async () => {
    const w = world('approved', () =>
      Promise.resolve({
        status: 'aborted',
        code: 'target-changed',
        reason: 'step 1 (recheck-target on web-01) not run: held by pid 99',
        lastCompletedStep: null,
        leftBehind: 'target changed, re-approval needed: nothing was done',
      }),
    );

    await expect(processRemediationJob(w.deps, ID)).resolves.toBe('aborted');

    expect(stateOf(w)?.outcomeReason).toBe(
      'step 1 (recheck-target on web-01) not run: held by pid 99. target changed, re-approval needed: nothing was done',
    );
    expect(JSON.stringify(w.slack.updates.at(-1)?.blocks)).toContain('/port check web-01 80');
  });

  it('Slack failing mid-plan does not stop the plan', async () => {
    const w = world('approved', async (progress, plan) => {
      for (const [i, step] of plan.steps.entries()) {
        await progress({ number: i + 1, step, status: 'done', detail: null });
      }
      return succeeded(plan.steps.length);
    });
    w.slack.update = () => Promise.reject(new Error('slack down'));

    await expect(processRemediationJob(w.deps, ID)).resolves.toBe('succeeded');
    expect(stateOf(w)?.status).toBe('succeeded');
  });

  it('a start that cannot be stored waits and retries; the request stays approved, nothing runs', async () => {
    const w = world('approved', () => Promise.reject(new Error('must not run')));
    w.approvals.compareAndSet = () => Promise.reject(new Error('redis down'));

    const err: unknown = await processRemediationJob(w.deps, ID).catch((e: unknown) => e);

    expect(isRetryLater(err)).toBe(true);
    expect(w.runs).toEqual([]);
    expect(stateOf(w)?.status).toBe('approved');
  });

  it('a step-done the store refuses stops the plan (the state never lags behind the host)', async () => {
    let afterRefusal = 'not reached';
    const w = world('approved', async (progress, plan) => {
      const [first] = plan.steps;
      if (!first) throw new Error('empty plan');
      // Someone ended the request meanwhile: recording step 1 is refused, which must throw.
      const cur = w.approvals.requests.get(ID);
      if (cur) w.approvals.requests.set(ID, { ...cur, state: { ...cur.state, status: 'aborted' } });
      await progress({ number: 1, step: first, status: 'done', detail: null }).then(
        () => (afterRefusal = 'plan went on'),
        () => (afterRefusal = 'plan stopped'),
      );
      return succeeded(1);
    });

    await processRemediationJob(w.deps, ID);

    expect(afterRefusal).toBe('plan stopped');
  });

  it('an executor error is not reported as an audit failure, and no raw error text reaches the thread', async () => {
    const w = world('approved', () => Promise.reject(new Error('ECONNRESET 10.0.0.7:6379 secret')));

    await expect(processRemediationJob(w.deps, ID)).rejects.toThrow('ECONNRESET');

    expect(stateOf(w)?.status).toBe('aborted');
    expect(stateOf(w)?.outcomeReason).toContain('the executor failed unexpectedly');
    expect(stateOf(w)?.outcomeReason).toContain(ID);
    expect(stateOf(w)?.outcomeReason).not.toContain('ECONNRESET');
    expect(JSON.stringify(w.slack.updates)).not.toContain('ECONNRESET');
  });

  it('an outcome the audit log refused fails the job; the request keeps its true outcome', async () => {
    const w = world('approved', (_p, plan) => Promise.resolve(succeeded(plan.steps.length)));
    w.audit.failOn = 'remediation.succeeded';

    await expect(processRemediationJob(w.deps, ID)).rejects.toBeInstanceOf(AuditWriteError);

    expect(stateOf(w)?.status).toBe('succeeded');
    expect(w.slack.updates.at(-1)?.text).toContain('Succeeded');
  });

  it('an outcome another run already settled is neither stored nor audited again', async () => {
    const w = world('approved', (_p, plan) => {
      // A takeover ended the request while this run was stopped (SIGSTOP, then SIGCONT).
      const cur = w.approvals.requests.get(ID);
      if (cur) {
        const state = { ...cur.state, status: 'aborted' as const, version: cur.state.version + 1 };
        w.approvals.requests.set(ID, { ...cur, state });
      }
      return Promise.resolve({
        status: 'aborted',
        code: 'fencing-lost',
        reason: `the lock on host/${plan.host} was lost before step 2`,
        lastCompletedStep: 1,
        leftBehind: null,
      });
    });

    await expect(processRemediationJob(w.deps, ID)).resolves.toBe('already-decided');

    // Only this run's start: no second outcome record.
    expect(w.audit.events.map((e) => e.type)).toEqual([EXECUTION_STARTED_EVENT]);
    expect(stateOf(w)?.outcomeReason).toBeNull();
    expect(w.slack.posts).toEqual([]);
  });

  it('an unknown request id fails the job for good', async () => {
    const w = world('approved', () => Promise.reject(new Error('must not run')));
    await expect(processRemediationJob(w.deps, 'AAAAAAAAAAAAAAAAAAAAAA')).rejects.toMatchObject({
      code: 'INTERNAL',
    });
  });

  it('refuses to begin once the signed approval window has passed: aborted, audited, nothing run', async () => {
    const w = world('approved', () => Promise.reject(new Error('must not run')));
    w.deps.now = () => T0 + 600_000;

    await expect(processRemediationJob(w.deps, ID)).resolves.toBe('aborted');

    expect(w.runs).toEqual([]);
    expect(stateOf(w)?.status).toBe('aborted');
    expect(stateOf(w)?.outcomeReason).toContain('approval expired before execution began');
    expect(w.audit.events.map((e) => [e.type, e.detail.code])).toEqual([
      ['remediation.aborted', 'approval-expired'],
    ]);
  });

  it('refuses to run a request the audit log shows was already begun (state reset in Redis)', async () => {
    const w = world('approved', () => Promise.reject(new Error('must not run')));
    await w.audit.append({
      type: 'remediation.step.intent',
      actor: 'U02APP',
      incidentId: 'inc-1',
      host: 'web-01',
      port: 80,
      detail: { requestId: ID, step: 2, kind: 'kill', command: 'kill -TERM 1' },
    });

    await expect(processRemediationJob(w.deps, ID)).resolves.toBe('aborted');

    expect(w.runs).toEqual([]);
    expect(stateOf(w)?.outcomeReason).toContain('already executed per the audit log');
    expect(w.audit.events.at(-1)?.detail.code).toBe('already-executed');
  });

  it('a run records its start, so the same request replayed later finds it and runs nothing', async () => {
    const w = world('approved', (_p, plan) => Promise.resolve(succeeded(plan.steps.length)));
    const original = structuredClone(w.approvals.requests.get(ID));
    await expect(processRemediationJob(w.deps, ID)).resolves.toBe('succeeded');
    if (original) w.approvals.requests.set(ID, original);

    await expect(processRemediationJob(w.deps, ID)).resolves.toBe('aborted');

    expect(w.runs).toHaveLength(1);
    expect(w.audit.events.map((e) => e.type)).toEqual([
      EXECUTION_STARTED_EVENT,
      'remediation.succeeded',
      'remediation.aborted',
    ]);
  });

  it('does not begin when the audit log cannot record the start', async () => {
    const w = world('approved', () => Promise.reject(new Error('must not run')));
    w.audit.failOn = EXECUTION_STARTED_EVENT;

    await expect(processRemediationJob(w.deps, ID)).resolves.toBe('aborted');

    expect(w.runs).toEqual([]);
    expect(stateOf(w)?.outcomeReason).toContain('audit log could not be read or written');
  });
});
