import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditLog } from '../../../src/audit/redis/verifyAuditLog';
import { runCli } from '../../../src/cli/runCli';
import { captureIo } from '../../support/captureIo';
import type { RemediationRunner } from '../../../src/remediation/RemediationRunner';
import { startLab, type Lab } from '../../lab';
import { RemediationHarness } from '../../support/remediationHarness';

/**
 * The executor over real SSH on the lab's lb-03 (HAProxy, no HA group): a rogue python listener
 * holds :80, and the approved kill-occupant plan runs on the remediation credential.
 */
const DB = 7;
/** The executor as its own process, compiled by `npm run build`. */
const CHILD = join(
  __dirname,
  '..',
  '..',
  '..',
  'dist-dev',
  'test',
  'support',
  'remediationChild.js',
);
let lab: Lab;
let h: RemediationHarness;

beforeAll(async () => {
  if (!existsSync(CHILD)) throw new Error(`${CHILD} missing: run npm run build:dev first`);
  lab = await startLab();
  h = await RemediationHarness.start(lab.inventoryPath, DB);
}, 180_000);

afterAll(async () => {
  await h?.close();
  await lab?.stop();
}, 60_000);

const alive = async (pid: number) =>
  (await lab.exec('lb-03', ['kill', '-0', String(pid)])).rc === 0;

describe('executePlan on the lab', () => {
  it('kills the rogue occupant, starts HAProxy, and audits every mutating step in order', async () => {
    const rogue = await lab.rogueListener('lb-03');
    const plan = await h.plan('lb-03', 80, 'kill-occupant');
    expect(plan.steps.map((s) => s.kind)).toEqual([
      'recheck-target',
      'config-test',
      'signal',
      'wait-port-free',
      'start-lb',
      'verify-listening',
    ]);
    expect(plan.target?.pid).toBe(rogue);
    // `portbot plan` prints exactly the plan the executor is given.
    const io = captureIo();
    const code = await runCli(
      [
        'plan',
        'lb-03',
        '80',
        '--action',
        'kill-occupant',
        '--json',
        '--inventory',
        lab.inventoryPath,
      ],
      io,
    );
    expect(code).toBe(0);
    expect(JSON.parse(io.out.join('\n'))).toEqual(plan);

    const outcome = await h.execute(plan, 'req-kill');

    expect(outcome).toMatchObject({ status: 'succeeded', lastCompletedStep: 6 });
    expect(await alive(rogue)).toBe(false);
    const listeners = await lab.listeners('lb-03', 80);
    expect(listeners.join('\n')).toContain('"haproxy"');
    expect(listeners.join('\n')).not.toContain('python3');
    const events = await h.events('req-kill');
    expect(events.map((e) => [e.type, e.detail.step ?? null])).toEqual([
      ['remediation.step.intent', 3],
      ['remediation.step.done', 3],
      ['remediation.step.intent', 5],
      ['remediation.step.done', 5],
      ['remediation.succeeded', null],
    ]);
    expect(events[1]?.detail).toMatchObject({
      kind: 'signal',
      command: `kill -TERM ${rogue}`,
      exitCode: 0,
    });
    expect(events[1]?.detail.outputSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await verifyAuditLog(h.audit)).toMatchObject({ ok: true });
  }, 120_000);

  it('PID reuse: another process holds the port at execution time, nothing is killed', async () => {
    const first = await lab.rogueListener('lb-03');
    const plan = await h.plan('lb-03', 80, 'kill-occupant');
    const second = await lab.rogueListener('lb-03');
    expect(second).not.toBe(first);

    const outcome = await h.execute(plan, 'req-reuse');

    expect(outcome).toMatchObject({
      status: 'aborted',
      code: 'target-changed',
      lastCompletedStep: null,
    });
    expect(outcome.reason).toContain(`held by pid ${second}`);
    expect(outcome.leftBehind).toBe('target changed, re-approval needed: nothing was done');
    expect(await alive(second)).toBe(true);
    expect((await h.events('req-reuse')).map((e) => e.type)).toEqual(['remediation.aborted']);
  }, 120_000);

  it('an executor SIGKILLed between a step and its done record: the same request aborts and runs nothing again', async () => {
    const rogue = await lab.rogueListener('lb-03');
    const plan = await h.plan('lb-03', 80, 'kill-occupant');
    const planFile = join(lab.dir, 'req-lost.plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    // A real process runs the plan and is SIGKILLed right after the kill command returned.
    const child = spawn(
      process.execPath,
      [CHILD, lab.inventoryPath, String(DB), 'req-lost', planFile, 'kill '],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => b.toString().includes('ran') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code} before the kill step`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(await alive(rogue)).toBe(false);

    const ran: string[] = [];
    const recording: RemediationRunner = {
      run: (host, command) => {
        ran.push(command);
        return h.runner.run(host, command);
      },
    };
    const outcome = await h.execute(plan, 'req-lost', { runner: recording });

    expect(outcome).toMatchObject({ status: 'aborted', code: 'worker-lost', lastCompletedStep: 2 });
    expect(outcome.reason).toContain('unknown outcome');
    expect(ran).toEqual([]);
    // HAProxy was never started: nothing after the lost step ran, in either process
    expect(await lab.lbRunning('lb-03')).toBe(false);
    expect((await h.events('req-lost')).map((e) => [e.type, e.detail.step ?? null])).toEqual([
      ['remediation.step.intent', 3],
      ['remediation.aborted', null],
    ]);
  }, 120_000);
});
