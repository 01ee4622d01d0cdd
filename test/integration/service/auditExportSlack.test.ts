import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { AuditEvent } from '../../../src/audit/AuditEvent';
import { verifyChain } from '../../../src/audit/hashChain';
import { RedisAuditLog } from '../../../src/audit/redis/RedisAuditLog';
import { waitFor } from '../../lab/waitFor';
import { startTestSlack, type TestSlack } from '../../support/localSlack/startTestSlack';
import { PORTBOT_BIN, startPortbot, type PortbotProcess } from '../../support/portbotProcess';
import { serviceEnv, SIGNING_SECRET, writeIdleInventory } from '../../support/serviceEnv';
import { signSlackRequest, slashCommandBody } from '../../support/signSlackRequest';
import { connectTestRedis, testRedisUrl } from '../../support/testRedis';

/**
 * `/port audit export` end to end: signed slash commands into a real `portbot serve` (Bolt behind
 * its signature guard), the audit log in Redis, and the file uploaded to the local Slack with the
 * two-step external upload. The file is compared byte for byte with a fresh export of the same
 * log over GET /audit/export, and its lines must verify as part of the hash chain.
 */
const DB = 3;
const CHANNEL = 'C0OPS';
const AUDIT_TOKEN = 'audit-token-for-slack-export-test';
const [AUDITOR, GROUP_AUDITOR, NOBODY] = ['U0AUD', 'U0GRP', 'U0NOBODY'];
const DAY = 86_400_000;
let redis: Redis;
let standIn: TestSlack;
let serve: PortbotProcess;
let env: Record<string, string>;

beforeAll(async () => {
  redis = await connectTestRedis(DB);
  // Ten days old first (the log never goes back in time), then today's: --since 7d splits them.
  const old = new RedisAuditLog(redis, { now: () => Date.now() - 10 * DAY });
  const today = new RedisAuditLog(redis);
  for (let i = 0; i < 3; i += 1) await old.append(seedEvent(`INC-OLD-${i}`));
  for (let i = 0; i < 4; i += 1) await today.append(seedEvent(`INC-NEW-${i}`));
  standIn = await startTestSlack({
    channels: [{ id: CHANNEL, name: 'ops' }],
    users: [AUDITOR, GROUP_AUDITOR, NOBODY].map((id) => ({ id, name: id.toLowerCase() })),
    // GROUP_AUDITOR is an auditor through a user group only: usergroups.users.list is asked.
    userGroups: { S0AUDIT: [GROUP_AUDITOR] },
  });
  const dir = mkdtempSync(join(tmpdir(), 'portbot-audit-export-'));
  const policy = join(dir, 'policy.yaml');
  writeFileSync(
    policy,
    [
      'commands: { channels: ["*"], users: ["*"] }',
      `auditors: { users: ["${AUDITOR}"], groups: ["S0AUDIT"] }`,
      '',
    ].join('\n'),
  );
  env = serviceEnv({
    slackApiUrl: standIn.url,
    redisDb: DB,
    inventory: writeIdleInventory(dir),
    extra: { PORTBOT_POLICY: policy, PORTBOT_AUDIT_TOKEN: AUDIT_TOKEN },
  });
  serve = await startPortbot(['serve'], env);
}, 60_000);

afterEach(() => standIn.reset());

afterAll(async () => {
  expect(await serve?.stop()).toBe(0);
  await standIn?.close();
  await redis?.quit();
});

function seedEvent(incidentId: string) {
  return {
    type: 'alert.opened',
    actor: 'alertmanager',
    incidentId,
    host: 'lb-01',
    port: 443,
    detail: { status: 'firing', summary: 'LB port down on 10.0.0.11:443 — "quoted", é' },
  };
}

/** A slash command exactly as Slack sends it; answers Bolt's ack (HTTP status and body). */
async function slash(user: string, text: string): Promise<{ status: number; body: string }> {
  const body = slashCommandBody({ text, user_id: user, channel_id: CHANNEL });
  const res = await fetch(`http://127.0.0.1:${serve.port}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(SIGNING_SECRET, body),
    },
    body,
  });
  return { status: res.status, body: await res.text() };
}

async function auditEvents(): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for await (const e of new RedisAuditLog(redis).read({})) out.push(e);
  return out;
}

/** The HTTP export of the log as it is now, as the SIEM would fetch it. */
async function freshExport(query = ''): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${serve.port}/audit/export${query}`, {
    headers: { authorization: `Bearer ${AUDIT_TOKEN}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

const parse = (jsonl: string) =>
  jsonl
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as AuditEvent);

/** The lines of an export up to and including seq `last`, as the export wrote them. */
const upTo = (jsonl: string, last: number) =>
  `${jsonl
    .trimEnd()
    .split('\n')
    .filter((l) => (JSON.parse(l) as AuditEvent).seq <= last)
    .join('\n')}\n`;

/** The file shared in the user's DM with the bot, once it is there. */
async function fileInDm(user: string) {
  const dm = `D${user.slice(1)}`;
  const message = await standIn.waitFor(
    () => standIn.messages(dm).find((m) => (m.files ?? []).length > 0),
    15_000,
  );
  const ref = message.files?.[0];
  const file = standIn.file(ref?.id ?? '');
  if (!file?.content) throw new Error('the shared file has no bytes');
  return { message, file, text: file.content.toString('utf8') };
}

const fileCalls = () =>
  standIn
    .calls()
    .filter((c) => c.method.startsWith('files.') || c.method === 'upload')
    .map((c) => c.method);

describe('/port audit export over Slack', () => {
  it('an auditor gets the whole log in their DM: the bytes equal a fresh export, the chain verifies, the export is audited with its sha256', async () => {
    const ack = await slash(AUDITOR, 'audit export');
    expect(ack.status).toBe(200);
    const { message, file, text } = await fileInDm(AUDITOR);
    expect(fileCalls()).toEqual([
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    expect(standIn.calls('conversations.open').map((c) => c.params.users)).toEqual([AUDITOR]);
    expect(file).toMatchObject({ completed: true, channels: ['D0AUD'] });
    expect(file.filename).toMatch(/^portbot-audit-\d{8}T\d{6}Z\.jsonl$/);
    // never in the channel the command was typed in
    expect(standIn.messages(CHANNEL)).toEqual([]);

    const lines = parse(text);
    expect(lines.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(verifyChain(lines)).toMatchObject({ ok: true, count: 7 });
    expect(text).toBe(upTo(await freshExport(), 7));

    const sha256 = createHash('sha256')
      .update(file.content ?? '')
      .digest('hex');
    const exported = (await auditEvents()).filter((e) => e.type === 'audit.exported');
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({
      actor: AUDITOR,
      seq: 8,
      detail: {
        channel: CHANNEL,
        text: 'audit export',
        since: null,
        count: 7,
        firstSeq: 1,
        lastSeq: 7,
        bytes: file.content?.length,
        sha256,
        fileId: file.id,
        dmChannel: 'D0AUD',
      },
    });
    expect(message.text).toContain(sha256);
    const told = await standIn.waitFor(() =>
      standIn.ephemerals(CHANNEL).find((e) => e.user === AUDITOR),
    );
    expect(told.text).toContain(`7 events (seq 1–7), sha256 ${sha256}`);

    // `portbot audit verify` agrees that the log, the export's own entry included, is intact
    const verify = spawnSync(process.execPath, [PORTBOT_BIN, 'audit', 'verify'], {
      env: { PATH: process.env.PATH ?? '', REDIS_URL: testRedisUrl(DB) },
      encoding: 'utf8',
    });
    expect(verify.stderr).toBe('');
    expect(verify.stdout).toMatch(/^audit log ok: \d+ events, head seq \d+ sha256 [0-9a-f]{64}/);
    expect(verify.status).toBe(0);
  });

  it('--since 7d, by an auditor through a user group: only the recent events, equal to a fresh export of that range and a tail of the verified chain', async () => {
    const ack = await slash(GROUP_AUDITOR, 'audit export --since 7d');
    expect(ack.status).toBe(200);
    const { text } = await fileInDm(GROUP_AUDITOR);
    const entry = (await auditEvents()).filter((e) => e.type === 'audit.exported').at(-1);
    // today's four seeded events and the first test's own audit.exported entry
    expect(entry).toMatchObject({ actor: GROUP_AUDITOR, detail: { firstSeq: 4, count: 5 } });
    const since = String(entry?.detail.since);
    expect(Math.abs(Date.parse(since) - (Date.now() - 7 * DAY))).toBeLessThan(60_000);
    const lastSeq = Number(entry?.detail.lastSeq);
    // the same absolute bound over HTTP: byte for byte the same lines
    expect(text).toBe(upTo(await freshExport(`?since=${encodeURIComponent(since)}`), lastSeq));
    // the three ten-day-old events are left out, and what is left is the tail of an intact chain
    const lines = parse(text);
    expect(lines[0]?.seq).toBe(4);
    const whole = parse(upTo(await freshExport(), lastSeq));
    expect(verifyChain(whole).ok).toBe(true);
    expect(whole.slice(3)).toEqual(lines);
  });

  it('a non-auditor is refused in an ephemeral, gets no file, and the refusal is audited', async () => {
    const before = (await auditEvents()).length;
    expect((await slash(NOBODY, 'audit export')).status).toBe(200);
    const told = await standIn.waitFor(() =>
      standIn.ephemerals(CHANNEL).find((e) => e.user === NOBODY),
    );
    expect(told.text).toContain('Only auditors may export the audit log');
    expect(fileCalls()).toEqual([]);
    expect(standIn.calls('conversations.open')).toEqual([]);
    expect(standIn.files()).toEqual([]);
    const written = (await auditEvents()).slice(before);
    expect(written.map((e) => [e.type, e.actor, e.detail.reason])).toEqual([
      ['command.refused', NOBODY, 'not an auditor'],
    ]);
  });

  it.each([
    ['audit export --since 999999999d', 'too far back'],
    ['audit export --since abc', 'expected a duration like 7d'],
    ['audit export --since 7d please', "unexpected 'please' after audit export"],
    ['audit export --since', '--since needs a value'],
  ])('%j from an auditor is refused in the ack itself and uploads nothing', async (text, why) => {
    const before = (await auditEvents()).length;
    const ack = await slash(AUDITOR, text);
    expect(ack.status).toBe(200);
    const answer = JSON.parse(ack.body) as { response_type: string; text: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain(why);
    const refused = await waitFor('the refusal in the audit log', async () => {
      const written = (await auditEvents()).slice(before);
      return written.length > 0 ? written : undefined;
    });
    expect(refused.map((e) => [e.type, e.detail.text])).toEqual([['command.refused', text]]);
    expect(fileCalls()).toEqual([]);
    expect(standIn.files()).toEqual([]);
  });
});
