import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent } from '../../../src/audit/AuditEvent';
import { RedisAuditLog } from '../../../src/audit/redis/RedisAuditLog';
import { verifyAuditLog } from '../../../src/audit/redis/verifyAuditLog';
import type { StoredMessage } from '../../../src/localSlack/localSlackTypes';
import { REMEDIATION_QUEUE } from '../../../src/queue/jobTypes';
import {
  REASON_ACTION_ID,
  REASON_BLOCK_ID,
  REQUEST_MODAL_CALLBACK_ID,
} from '../../../src/render/slack/remediationIds';
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
 * A finished request replayed by someone who can write the state Redis but lacks
 * PORTBOT_APPROVAL_KEY (status flipped back to `approved`, journal deleted, a new BullMQ job):
 * the worker finds the earlier run in the audit log and runs nothing. The occupant ignores SIGTERM
 * and logs each signal, so executions are counted from outside portbot.
 */
const DB = 11;
const TEAM = 'T0PORTBOT';
const [ALICE, BOB, CAROL] = ['U0ALICE', 'U0BOB', 'U0CAROL'];
const HOST = 'lb-03';
const SIGLOG = 'replay-sigcount.log';
const PY = [
  'import signal, socket, sys',
  'def h(s, f):',
  '    print("SIG", s, flush=True)',
  'signal.signal(signal.SIGTERM, h)',
  's = socket.socket()',
  's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
  's.bind(("0.0.0.0", 80))',
  's.listen(5)',
  'print("READY", flush=True)',
  'while True:',
  '    signal.pause()',
].join('\n');

let lab: Lab;
let standIn: TestSlack;
let redis: Redis;
let serve: PortbotProcess;
let worker: PortbotProcess;
let queue: Queue;
let flow: SlackFlowDriver;
let root: StoredMessage;
let sigLogPath: string;

const sigterms = () =>
  existsSync(sigLogPath)
    ? readFileSync(sigLogPath, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('SIG 15')).length
    : 0;

async function auditOf(requestId: string): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for await (const e of new RedisAuditLog(redis).read({})) {
    if (e.detail.requestId === requestId) out.push(e);
  }
  return out;
}

async function stubbornListener(): Promise<number> {
  await lab.reset(HOST);
  writeFileSync(join(lab.hostDir(HOST), 'tmp', 'stubborn.py'), PY);
  await lab.startDetached(HOST, ['/usr/bin/python3', '/tmp/stubborn.py'], SIGLOG);
  const pid = await waitFor(
    'stubborn python on :80',
    async () => {
      const l = (await lab.listeners(HOST, 80)).join('\n');
      const m = /\("python3",pid=(\d+),/.exec(l);
      return m ? Number(m[1]) : undefined;
    },
    { timeoutMs: 15_000 },
  );
  await lab.startLb(HOST); // fails with EADDRINUSE, as in the rogue-listener scenario
  return pid;
}

beforeAll(async () => {
  lab = await startLab({ keepalived: false });
  sigLogPath = join(lab.hostDir(HOST), 'var/log', SIGLOG);
  redis = await connectTestRedis(DB);
  standIn = await startTestSlack({
    autoCreateChannels: true,
    users: [ALICE, BOB, CAROL].map((id) => ({ id, name: id.toLowerCase() })),
  });
  const dir = mkdtempSync(join(tmpdir(), 'portbot-replay-'));
  const policy = join(dir, 'policy.yaml');
  writeFileSync(
    policy,
    [
      'commands: { channels: ["*"], users: ["*"] }',
      'remediation:',
      `  requesters: { users: ["${ALICE}"], groups: [] }`,
      `  approvers: { users: ["${BOB}", "${CAROL}"], groups: [] }`,
      '  approvals: { default: 2, vipHolder: 2 }',
      '  expiryMinutes: 10',
      '',
    ].join('\n'),
  );
  const env = serviceEnv({
    slackApiUrl: standIn.url,
    redisDb: DB,
    inventory: lab.inventoryPath,
    extra: { PORTBOT_POLICY: policy },
  });
  serve = await startPortbot(['serve'], env);
  worker = await startPortbot(['worker'], env);
  flow = new SlackFlowDriver({
    standIn,
    transport: httpTransport(() => serve.port, SIGNING_SECRET),
    team: TEAM,
    channel: ALERT_CHANNEL,
  });
  queue = new Queue(REMEDIATION_QUEUE, { connection: redis, prefix: 'portbot' });
  await stubbornListener();
  await postAlert(serve.port, alertmanagerPayload('firing', '10.77.0.13:80'));
  root = await standIn.waitFor(() => {
    const m = standIn.topLevelMessages(ALERT_CHANNEL).find((x) => x.text.includes('lb-03:80'));
    return m && /kill-occupant/.test(JSON.stringify(m.blocks)) ? m : undefined;
  }, 60_000);
}, 240_000);

afterAll(async () => {
  await serve?.stop();
  await worker?.stop();
  await queue?.close();
  await standIn?.close();
  await redis?.quit();
  await lab?.stop();
}, 60_000);

/** What the attacker does with redis-cli: no key needed. */
async function flipToApproved(key: string): Promise<void> {
  const state = JSON.parse((await redis.hget(key, 'state')) ?? 'null') as {
    status: string;
    version: number;
    stepsDone: number;
    lastStep: string | null;
    outcomeReason: string | null;
  };
  state.status = 'approved';
  state.version += 1;
  state.stepsDone = 0;
  state.lastStep = null;
  state.outcomeReason = null;
  await redis.hset(key, 'version', String(state.version), 'state', JSON.stringify(state));
}

describe('replay of a finished, validly signed request through Redis writes', () => {
  let id = '';

  it('the request runs once: two approvals, one SIGTERM (the plan aborts: port still held)', async () => {
    const msg = await flow.request(ALICE, root, 'kill-occupant', 'stubborn python holds :80');
    id = requestIdOf(msg);
    await flow.click(BOB, msg, 'portbot:approval:approve', id);
    await flow.messageWith(msg, 'Approvals: 1 of 2');
    await flow.click(CAROL, msg, 'portbot:approval:approve', id);
    await flow.messageWith(msg, 'Aborted', 90_000);
    expect(sigterms()).toBe(1);
  }, 180_000);

  it('flipped back to approved, journal deleted, new job: nothing runs, aborted already-executed', async () => {
    const intents = (await auditOf(id)).filter((e) => e.type === 'remediation.step.intent');
    await flipToApproved(`portbot:approval:${id}`);
    await redis.del(`portbot:remediation:journal:${id}`);
    await queue.add('remediate', { requestId: id }, { jobId: `replay-${id}`, attempts: 1 });
    const job = await waitFor(
      'replayed job ends',
      async () => {
        const j = await queue.getJob(`replay-${id}`);
        return j?.finishedOn ? j : undefined;
      },
      { timeoutMs: 90_000 },
    );

    expect(job.returnvalue).toBe('aborted');
    expect(sigterms()).toBe(1);
    const events = await auditOf(id);
    expect(events.filter((e) => e.type === 'remediation.step.intent')).toHaveLength(intents.length);
    expect(events.filter((e) => e.type === 'remediation.execution.started')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({
      type: 'remediation.aborted',
      detail: { code: 'already-executed' },
    });
    const state = JSON.parse((await redis.hget(`portbot:approval:${id}`, 'state')) ?? '{}') as {
      status?: string;
      outcomeReason?: string;
    };
    expect(state.status).toBe('aborted');
    expect(state.outcomeReason).toContain('already executed per the audit log');
    expect((await verifyAuditLog(new RedisAuditLog(redis))).ok).toBe(true);
  }, 180_000);

  it('a modal submission with unreadable private_metadata gets an error in the modal, stores nothing', async () => {
    const before = await redis.keys('portbot:approval:*');
    const answer = await httpTransport(() => serve.port, SIGNING_SECRET).interact({
      api_app_id: 'A0PORTBOT',
      token: 'x',
      team: { id: TEAM, domain: 'portbot-local' },
      type: 'view_submission',
      user: { id: ALICE, team_id: TEAM },
      view: {
        id: 'V0MODAL',
        type: 'modal',
        callback_id: REQUEST_MODAL_CALLBACK_ID,
        private_metadata: '{garbage',
        state: {
          values: {
            [REASON_BLOCK_ID]: {
              [REASON_ACTION_ID]: { type: 'plain_text_input', value: 'port 80 held' },
            },
          },
        },
        hash: 'h',
      },
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({
      response_action: 'errors',
      errors: { [REASON_BLOCK_ID]: expect.stringMatching(/not made by portbot/) as unknown },
    });
    expect(await redis.keys('portbot:approval:*')).toEqual(before);
  }, 60_000);
});
