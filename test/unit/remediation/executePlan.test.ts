import { silentLog } from '../../support/fakes/silentLog';
import { createHash } from 'node:crypto';
import type { ExecResult } from '../../../src/domain/CommandRunner';
import type { ExecuteDeps, Observation } from '../../../src/remediation/ExecutionPorts';
import { AuditWriteError, executePlan } from '../../../src/remediation/executePlan';
import type { PlanStep, RemediationPlan } from '../../../src/remediation/RemediationPlan';
import { hostConfig } from '../../support/factories/hostConfig';
import { diag } from '../../support/factories/planInput';
import { probeResults } from '../../support/factories/probeResults';
import {
  MemoryAuditLog,
  MemoryFencingLock,
  MemoryStepJournal,
} from '../../support/fakes/MemoryExecutionPorts';

/** A two-member world the fake runner changes: who holds the VIP, whether nginx listens. */
interface World {
  vip: 'lb-01' | 'lb-02';
  listening: boolean;
}

const ctx = { requestId: 'req-1', incidentId: 'inc-1', actor: 'U2' };

function step(o: Partial<PlanStep> & Pick<PlanStep, 'kind' | 'command'>): PlanStep {
  return {
    host: 'lb-01',
    mutating: true,
    precondition: [],
    verification: [{ kind: 'exit-zero' }],
    why: 'why',
    ifFails: `${o.kind} failed`,
    ...o,
  };
}

const VIP = '10.0.0.100';
const PLAN: RemediationPlan = {
  host: 'lb-01',
  port: 80,
  action: 'restart-lb',
  approvalClass: 'vip-holder',
  target: null,
  ha: { group: 'edge', vip: VIP, vipHolder: 'lb-01', peers: ['lb-02'] },
  steps: [
    step({ kind: 'demote', command: 'demote' }),
    step({
      kind: 'wait-vip-moved',
      command: 'ip addr',
      mutating: false,
      verification: [{ kind: 'vip-moved', from: 'lb-01', to: ['lb-02'], vip: VIP, withinMs: 5000 }],
    }),
    step({ kind: 'restart-lb', command: 'restart' }),
    step({
      kind: 'promote',
      command: 'promote',
      precondition: [{ kind: 'lb-listening', host: 'lb-01', port: 80, withinMs: 0 }],
      ifFails: 'the VIP stays on lb-02 (no promote)',
    }),
  ],
};

function exit(code: number): ExecResult {
  return { stdout: 'out', stderr: '', code, signal: null, truncated: false, durationMs: 3 };
}

function setup(codes: Record<string, number> = {}) {
  const world: World = { vip: 'lb-01', listening: true };
  const ran: string[] = [];
  let clock = 0;
  let vipMovesAt = Infinity;
  const audit = new MemoryAuditLog();
  const lock = new MemoryFencingLock();
  const journal = new MemoryStepJournal();
  const deps: ExecuteDeps = {
    hosts: new Map(['lb-01', 'lb-02'].map((n) => [n, hostConfig({ name: n })])),
    runner: {
      run: (_host, command) => {
        ran.push(command);
        // keepalived hands the VIP over a little after the demote, as it does for real
        if (command === 'demote') vipMovesAt = clock + 700;
        if (command === 'restart') world.listening = (codes[command] ?? 0) === 0;
        return Promise.resolve(exit(codes[command] ?? 0));
      },
    },
    observe: (host): Promise<Observation> => {
      if (clock >= vipMovesAt) world.vip = 'lb-02';
      const holdsVip = world.vip === host;
      const d = diag('healthy', host, { holdsVip, role: holdsVip ? 'MASTER' : 'BACKUP', vip: VIP });
      const lb = { kind: 'nginx', running: true, pid: 10, listening: world.listening };
      return Promise.resolve({ diagnosis: { ...d, lb }, probes: probeResults({ host }) });
    },
    audit,
    lock,
    journal,
    now: () => clock,
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
    onProgress: () => undefined,
    settle: () => Promise.resolve(true),
    lockTtlMs: 60_000,
    pollIntervalMs: 250,
    log: silentLog,
  };
  return { deps, world, ran, audit, lock, journal };
}

const typesOf = (a: MemoryAuditLog) =>
  a.events.map((e) => `${e.type} ${e.detail.step ?? ''}`.trim());

describe('executePlan', () => {
  it('runs every step in order, polls the VIP move, and pairs intent/done around each mutating step', async () => {
    const t = setup();
    const outcome = await executePlan(t.deps, PLAN, ctx);
    expect(outcome).toEqual({
      status: 'succeeded',
      code: null,
      reason: '4 steps done',
      lastCompletedStep: 4,
      leftBehind: null,
    });
    expect(t.ran).toEqual(['demote', 'restart', 'promote']);
    expect(typesOf(t.audit)).toEqual([
      'remediation.step.intent 1',
      'remediation.step.done 1',
      'remediation.step.intent 3',
      'remediation.step.done 3',
      'remediation.step.intent 4',
      'remediation.step.done 4',
      'remediation.succeeded',
    ]);
    expect(t.audit.events[1]?.detail).toMatchObject({
      requestId: 'req-1',
      kind: 'demote',
      exitCode: 0,
      durationMs: 3,
    });
    // stdout, NUL, stderr: the digest names both streams without keeping either
    expect(t.audit.events[1]?.detail.outputSha256).toBe(
      createHash('sha256').update('out\0').digest('hex'),
    );
    expect(await t.journal.read('req-1')).toEqual({ started: [1, 2, 3, 4], done: [1, 2, 3, 4] });
  });

  it('a step whose intent cannot be written does not run: aborted', async () => {
    const t = setup();
    t.audit.failOn = 'remediation.step.intent';
    const outcome = await executePlan(t.deps, PLAN, ctx);
    expect(outcome).toMatchObject({
      status: 'aborted',
      code: 'audit-unavailable',
      lastCompletedStep: null,
    });
    expect(t.ran).toEqual([]);
    expect(typesOf(t.audit)).toEqual(['remediation.aborted']);
    // the outcome reaches Slack: it names the request, never the raw error text
    expect(outcome.reason).toContain('ref req-1');
    expect(outcome.reason).not.toContain('audit down');
  });

  it('a failure after the demote stops there: no promote, and says the VIP stays on the peer', async () => {
    const t = setup({ restart: 1 });
    const outcome = await executePlan(t.deps, PLAN, ctx);
    expect(outcome).toMatchObject({
      status: 'failed',
      code: 'command-failed',
      lastCompletedStep: 2,
      leftBehind: 'restart-lb failed',
    });
    expect(t.ran).toEqual(['demote', 'restart']);
    expect(t.world.vip).toBe('lb-02');
  });

  it('a precondition that no longer holds aborts before the command', async () => {
    const t = setup();
    const plan = { ...PLAN, steps: PLAN.steps.filter((s) => s.kind === 'promote') };
    t.world.listening = false;
    const outcome = await executePlan(t.deps, plan, ctx);
    expect(outcome).toMatchObject({ status: 'aborted', code: 'precondition-failed' });
    expect(outcome.leftBehind).toBe('the VIP stays on lb-02 (no promote)');
    expect(t.ran).toEqual([]);
  });

  it('a lost fencing token stops the run before the next step', async () => {
    const t = setup();
    const deps: ExecuteDeps = {
      ...t.deps,
      onProgress: (p) => {
        if (p.number === 1 && p.status === 'done') t.lock.steal('group/edge');
      },
    };
    const outcome = await executePlan(deps, PLAN, ctx);
    expect(outcome).toMatchObject({
      status: 'aborted',
      code: 'fencing-lost',
      lastCompletedStep: 1,
    });
    expect(t.ran).toEqual(['demote']);
  });

  it('a second run while the group is locked runs nothing', async () => {
    const t = setup();
    await t.lock.acquire('group/edge');
    const outcome = await executePlan(t.deps, PLAN, { ...ctx, requestId: 'req-2' });
    expect(outcome).toMatchObject({ status: 'aborted', code: 'ha-group-busy' });
    expect(t.ran).toEqual([]);
  });

  it('a request with a journal was begun by a lost worker: aborted, nothing re-run', async () => {
    const t = setup();
    await t.journal.begin('req-1', 1);
    await t.journal.complete('req-1', 1);
    await t.journal.begin('req-1', 2);
    const outcome = await executePlan(t.deps, PLAN, ctx);
    expect(outcome).toMatchObject({ status: 'aborted', code: 'worker-lost', lastCompletedStep: 1 });
    expect(outcome.reason).toContain('unknown outcome');
    expect(t.ran).toEqual([]);
    expect(typesOf(t.audit)).toEqual(['remediation.aborted']);
  });

  it('a verification that never holds gives up at its deadline', async () => {
    const t = setup();
    t.deps.runner = { run: (_h, c) => (t.ran.push(c), Promise.resolve(exit(0))) };
    const outcome = await executePlan(t.deps, PLAN, ctx);
    expect(outcome).toMatchObject({
      status: 'aborted',
      code: 'verification-failed',
      lastCompletedStep: 1,
    });
    expect(outcome.reason).toContain('lb-01 still holds the VIP');
    expect(t.ran).toEqual(['demote']);
  });

  it('a port that throws mid-plan ends the run aborted, lock released, outcome audited', async () => {
    const t = setup();
    const deps: ExecuteDeps = {
      ...t.deps,
      onProgress: (p) => {
        if (p.number === 2 && p.status === 'running') throw new Error('slack down');
      },
    };
    const outcome = await executePlan(deps, PLAN, ctx);
    expect(outcome).toMatchObject({
      status: 'aborted',
      code: 'executor-error',
      lastCompletedStep: 1,
    });
    // The raw error goes to the log; the outcome (shown in Slack) says where the run stopped.
    expect(outcome.reason).not.toContain('slack down');
    expect(outcome.reason).toContain('after step 1');
    expect(t.ran).toEqual(['demote']);
    expect(await t.lock.acquire('group/edge')).not.toBeNull();
    expect(typesOf(t.audit).at(-1)).toBe('remediation.aborted');
  });

  it('a lock release that fails does not replace the outcome of the steps that ran', async () => {
    const t = setup();
    t.deps.runner = {
      run: (_h, c) => {
        t.ran.push(c);
        if (c === 'demote') t.world.vip = 'lb-02';
        return Promise.resolve(exit(0));
      },
    };
    t.lock.release = () => Promise.reject(new Error('redis down'));
    const outcome = await executePlan(t.deps, PLAN, ctx);
    expect(outcome.status).toBe('succeeded');
    expect(typesOf(t.audit).at(-1)).toBe('remediation.succeeded');
  });

  it('a journal that cannot be read aborts before any step, with the outcome audited', async () => {
    const t = setup();
    t.journal.read = () => Promise.reject(new Error('redis down'));
    const outcome = await executePlan(t.deps, PLAN, ctx);
    expect(outcome).toMatchObject({ status: 'aborted', code: 'executor-error' });
    expect(t.ran).toEqual([]);
    expect(typesOf(t.audit)).toEqual(['remediation.aborted']);
  });

  it('an outcome another run already settled is not audited: one outcome event per request', async () => {
    const t = setup();
    const settled: string[] = [];
    t.deps.settle = (o) => {
      settled.push(`${o.status} ${o.code ?? ''}`);
      return Promise.resolve(false);
    };
    t.deps.onProgress = (p) => {
      if (p.number === 1 && p.status === 'done') t.lock.steal('group/edge');
    };
    const outcome = await executePlan(t.deps, PLAN, ctx);
    expect(outcome).toMatchObject({ status: 'aborted', code: 'fencing-lost' });
    expect(settled).toEqual(['aborted fencing-lost']);
    expect(t.ran).toEqual(['demote']);
    expect(typesOf(t.audit)).toEqual(['remediation.step.intent 1', 'remediation.step.done 1']);
  });

  it('an outcome the audit log refuses is thrown as an AuditWriteError', async () => {
    const t = setup();
    t.audit.failOn = 'remediation.aborted';
    t.journal.read = () => Promise.reject(new Error('redis down'));
    await expect(executePlan(t.deps, PLAN, ctx)).rejects.toBeInstanceOf(AuditWriteError);
  });

  it('renews the fencing lock while a step outlasts a third of its TTL', async () => {
    const t = setup();
    let during = 0;
    let inDemote = false;
    const holds = t.lock.holds.bind(t.lock);
    t.lock.holds = (scope: string, token: number) => {
      if (inDemote) during += 1;
      return holds(scope, token);
    };
    t.deps.lockTtlMs = 3000;
    t.deps.runner = {
      run: async (_h, c) => {
        t.ran.push(c);
        if (c === 'demote') {
          // Real time: the renewal runs on a timer every lockTtlMs / 3 while the command runs.
          inDemote = true;
          await new Promise((r) => setTimeout(r, 1300));
          inDemote = false;
          t.world.vip = 'lb-02';
        }
        return exit(0);
      },
    };
    const outcome = await executePlan(t.deps, PLAN, ctx);
    expect(during).toBeGreaterThanOrEqual(1);
    expect(outcome.status).toBe('succeeded');
  });

  it('keeps renewing the fencing lock while a progress update between steps is slow', async () => {
    const t = setup();
    let during = 0;
    let inUpdate = false;
    const holds = t.lock.holds.bind(t.lock);
    t.lock.holds = (scope: string, token: number) => {
      if (inUpdate) during += 1;
      return holds(scope, token);
    };
    t.deps.lockTtlMs = 3000;
    t.deps.onProgress = async (p) => {
      if (p.number !== 1 || p.status !== 'done') return;
      // Real time: Slack slow to take the "step 1 done" update.
      inUpdate = true;
      await new Promise((r) => setTimeout(r, 1300));
      inUpdate = false;
    };
    t.deps.runner = {
      run: (_h, c) => {
        t.ran.push(c);
        if (c === 'demote') t.world.vip = 'lb-02';
        return Promise.resolve(exit(0));
      },
    };
    const outcome = await executePlan(t.deps, PLAN, ctx);
    expect(during).toBeGreaterThanOrEqual(1);
    expect(outcome.status).toBe('succeeded');
  });
});
