import type { Redis } from 'ioredis';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent } from '../../../src/audit/AuditEvent';
import { RedisAuditLog } from '../../../src/audit/redis/RedisAuditLog';
import { verifyAuditLog } from '../../../src/audit/redis/verifyAuditLog';
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
import { requestIdOf, SlackFlowDriver } from '../../support/slackFlowDriver';
import { httpTransport } from '../../support/slackTransport';
import { connectTestRedis } from '../../support/testRedis';

/**
 * The worker running an approved plan is SIGKILLed in the middle of it (while it waits for a
 * process that ignores SIGTERM to free the port). Another worker picks the job up after the
 * stalled check and the fencing lock lapse: the request ends `aborted`, no step runs twice.
 */
const DB = 9;
const TEAM = 'T0PORTBOT';
const [ALICE, BOB] = ['U0ALICE', 'U0BOB'];
// Holds :80 and ignores SIGTERM, so the plan sits in wait-port-free after its kill step.
const STUBBORN = [
  '/usr/bin/python3',
  '-c',
  [
    'import signal, socket',
    'signal.signal(signal.SIGTERM, signal.SIG_IGN)',
    's = socket.socket()',
    's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
    "s.bind(('0.0.0.0', 80))",
    's.listen()',
    'signal.pause()',
  ].join('\n'),
];
let lab: Lab;
let standIn: TestSlack;
let redis: Redis;
let serve: PortbotProcess;
let worker: PortbotProcess;
let env: Record<string, string>;

beforeAll(async () => {
  lab = await startLab({ keepalived: false });
  redis = await connectTestRedis(DB);
  standIn = await startTestSlack({
    autoCreateChannels: true,
    users: [ALICE, BOB].map((id) => ({ id, name: id.toLowerCase() })),
  });
  const policy = join(mkdtempSync(join(tmpdir(), 'portbot-loss-')), 'policy.yaml');
  writeFileSync(
    policy,
    [
      'commands: { channels: ["*"], users: ["*"] }',
      'remediation:',
      `  requesters: { users: ["${ALICE}"], groups: [] }`,
      `  approvers: { users: ["${BOB}"], groups: [] }`,
      '  approvals: { default: 1, vipHolder: 2 }',
      '  termWaitSeconds: 60',
      '',
    ].join('\n'),
  );
  env = serviceEnv({
    slackApiUrl: standIn.url,
    redisDb: DB,
    inventory: lab.inventoryPath,
    extra: {
      PORTBOT_POLICY: policy,
      PORTBOT_JOB_LOCK_MS: '3000',
      PORTBOT_STALLED_INTERVAL_MS: '2000',
      PORTBOT_REMEDIATION_LOCK_MS: '10000',
    },
  });
  serve = await startPortbot(['serve'], env);
  worker = await startPortbot(['worker'], env);
}, 180_000);

afterAll(async () => {
  expect(await serve?.stop()).toBe(0);
  expect(await worker?.stop()).toBe(0);
  await standIn?.close();
  await redis?.quit();
  await lab?.stop();
}, 60_000);

async function auditOf(requestId: string): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for await (const e of new RedisAuditLog(redis).read({})) {
    if (e.detail.requestId === requestId) out.push(e);
  }
  return out;
}

it('a worker SIGKILLed mid-plan: the request ends aborted with the last completed step, nothing runs twice', async () => {
  await lab.reset('lb-03');
  await lab.startDetached('lb-03', STUBBORN);
  const stubborn = await waitFor('the stubborn listener on :80', async () => {
    const line = (await lab.listeners('lb-03', 80)).find((l) => l.includes('python3'));
    return line ? Number(/pid=(\d+)/.exec(line)?.[1]) : undefined;
  });
  await postAlert(serve.port, alertmanagerPayload('firing', '10.77.0.13:80'));
  const root = await standIn.waitFor(() => {
    const m = standIn.topLevelMessages(ALERT_CHANNEL).find((x) => x.text.includes('lb-03:80'));
    return m?.text.includes('foreign-listener') ? m : undefined;
  }, 30_000);
  const flow = new SlackFlowDriver({
    standIn,
    transport: httpTransport(() => serve.port, SIGNING_SECRET),
    team: TEAM,
    channel: ALERT_CHANNEL,
  });
  const msg = await flow.request(ALICE, root, 'kill-occupant', 'stubborn listener on :80');
  const id = requestIdOf(msg);
  await flow.click(BOB, msg, 'portbot:approval:approve', id);

  // The kill step (3) is done and wait-port-free (4) runs: kill the worker right there.
  await waitFor(
    'the kill step done',
    async () =>
      (await auditOf(id)).some((e) => e.type === 'remediation.step.done' && e.detail.step === 3),
    { timeoutMs: 30_000 },
  );
  await worker.kill();
  const killedAt = Date.now();
  worker = await startPortbot(['worker'], env);

  const aborted = await flow.messageWith(msg, 'Aborted', 90_000);
  const recoveredMs = Date.now() - killedAt;
  const text = JSON.stringify(aborted.blocks);
  // Killed as step 4 began or just before: either way step 3 is the last one known done.
  expect(text).toMatch(
    /stopped after step 3( with a step of unknown outcome)?: nothing is run again/,
  );
  expect(text).toContain('/port check lb-03 80');
  const events = await auditOf(id);
  expect(events.map((e) => [e.type, e.detail.step ?? null])).toEqual([
    ['remediation.requested', null],
    ['remediation.approved', null],
    ['remediation.execution.started', null],
    ['remediation.step.intent', 3],
    ['remediation.step.done', 3],
    ['remediation.aborted', null],
  ]);
  expect(events.at(-1)?.detail).toMatchObject({ code: 'worker-lost', lastCompletedStep: 3 });
  // SIGTERM was ignored and no SIGKILL was approved: the process lives, HAProxy was never started.
  expect((await lab.exec('lb-03', ['kill', '-0', String(stubborn)])).rc).toBe(0);
  expect(await lab.lbRunning('lb-03')).toBe(false);
  expect((await verifyAuditLog(new RedisAuditLog(redis))).ok).toBe(true);
  process.stdout.write(`worker-loss recovery: request aborted ${recoveredMs} ms after SIGKILL\n`);
}, 180_000);

it('a worker SIGSTOPped mid-plan and continued after the takeover: one outcome event, no step after the fence is lost', async () => {
  await lab.reset('lb-03');
  await lab.startDetached('lb-03', STUBBORN);
  const stubborn = await waitFor('the stubborn listener on :80', async () => {
    const line = (await lab.listeners('lb-03', 80)).find((l) => l.includes('python3'));
    return line ? Number(/pid=(\d+)/.exec(line)?.[1]) : undefined;
  });
  await postAlert(serve.port, alertmanagerPayload('firing', '10.77.0.13:80'));
  const root = await standIn.waitFor(() => {
    const m = standIn.topLevelMessages(ALERT_CHANNEL).find((x) => x.text.includes('lb-03:80'));
    return m?.text.includes('foreign-listener') ? m : undefined;
  }, 30_000);
  const flow = new SlackFlowDriver({
    standIn,
    transport: httpTransport(() => serve.port, SIGNING_SECRET),
    team: TEAM,
    channel: ALERT_CHANNEL,
  });
  const msg = await flow.request(ALICE, root, 'kill-occupant', 'stubborn listener, stop test');
  const id = requestIdOf(msg);
  await flow.click(BOB, msg, 'portbot:approval:approve', id);
  await waitFor(
    'the kill step done',
    async () =>
      (await auditOf(id)).some((e) => e.type === 'remediation.step.done' && e.detail.step === 3),
    { timeoutMs: 30_000 },
  );

  // Frozen in wait-port-free: its job and its fencing lock lapse, a fresh worker takes over.
  const stopped = worker;
  stopped.child.kill('SIGSTOP');
  worker = await startPortbot(['worker'], env);
  await flow.messageWith(msg, 'Aborted', 90_000);
  stopped.child.kill('SIGCONT');

  // The continued run ends its wait-port-free step, then tries to settle the request's outcome.
  await waitFor(
    'the continued worker settles or gives up',
    () => /remediation outcome not recorded|"event":"finish"/.test(stopped.output()),
    { timeoutMs: 120_000 },
  );
  const events = await auditOf(id);
  const outcomes = events.filter((e) =>
    ['remediation.succeeded', 'remediation.failed', 'remediation.aborted'].includes(e.type),
  );
  expect(outcomes.map((e) => [e.type, e.detail.code])).toEqual([
    ['remediation.aborted', 'worker-lost'],
  ]);
  // No step began after the takeover: the kill (3) is the only mutating step in the log.
  expect(
    events.filter((e) => e.type === 'remediation.step.intent').map((e) => e.detail.step),
  ).toEqual([3]);
  expect(stopped.output()).toContain('remediation outcome not recorded');
  expect((await lab.exec('lb-03', ['kill', '-0', String(stubborn)])).rc).toBe(0);
  expect(await lab.lbRunning('lb-03')).toBe(false);
  expect((await verifyAuditLog(new RedisAuditLog(redis))).ok).toBe(true);
  expect(await stopped.stop()).toBe(0);
}, 240_000);
