import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../../src/audit/AuditEvent';
import { recordAuditTo } from '../../../src/audit/recordAudit';
import { verifyChain } from '../../../src/audit/hashChain';
import { handlePortCommand, type PortCommandDeps } from '../../../src/commands/handlePortCommand';
import type { Policy } from '../../../src/domain/Policy';
import { MemoryAuditLog } from '../../support/fakes/MemoryAuditLog';
import { MemoryFleetCheckStore } from '../../support/fakes/MemoryFleetCheckStore';
import { MemoryIncidentStore } from '../../support/fakes/MemoryIncidentStore';
import { RecordingExportSlack } from '../../support/fakes/RecordingExportSlack';
import { silentLog } from '../../support/fakes/silentLog';

const T0 = Date.UTC(2026, 10, 21, 10);
const HOUR = 3_600_000;
const AUDITORS: Policy = {
  commands: { channels: ['*'], users: ['*'] },
  auditors: { users: ['U0AUD'], groups: ['S0AUDIT'] },
};

/** A log with `old` events at T0 and `recent` ones two hours later; the clock is then T0+3h. */
async function setup(
  opts: { policy?: Policy; old?: number; recent?: number; maxBytes?: number } = {},
) {
  let clock = T0;
  const auditLog = new MemoryAuditLog(() => clock);
  const slack = new RecordingExportSlack();
  const append = (i: number) =>
    auditLog.append({
      type: 'alert.opened',
      actor: 'alertmanager',
      incidentId: `INC-${i}`,
      host: 'lb-01',
      port: 443,
      detail: { status: 'firing' },
    });
  for (let i = 0; i < (opts.old ?? 3); i += 1) await append(i);
  clock = T0 + 2 * HOUR;
  for (let i = 0; i < (opts.recent ?? 2); i += 1) await append(100 + i);
  clock = T0 + 3 * HOUR;
  const deps: PortCommandDeps = {
    policy: opts.policy ?? AUDITORS,
    inventory: { path: '/inv.yaml', hosts: [], haGroups: [] },
    incidents: new MemoryIncidentStore(),
    checks: new MemoryFleetCheckStore(),
    queue: {
      enqueueDiagnose: () => Promise.reject(new Error('no diagnosis expected')),
      enqueueFleetCheck: () => Promise.reject(new Error('no fleet check expected')),
      enqueueRefreshRoot: () => Promise.resolve(),
      counts: () => Promise.reject(new Error('unused')),
      close: () => Promise.resolve(),
    },
    sweeps: { enqueue: () => Promise.reject(new Error('no sweep expected')) },
    now: () => clock,
    log: silentLog,
    audit: recordAuditTo(auditLog, silentLog),
    status: () => Promise.resolve(''),
    auditExport: {
      auditLog,
      userGroups: (user) => Promise.resolve(user === 'U0GRP' ? ['S0AUDIT'] : ['S0OTHER']),
      slack,
      maxBytes: opts.maxBytes ?? 1024 * 1024,
    },
  };
  const before = auditLog.events.length;
  /** Audit entries written by the command (after the seeded ones). */
  const written = () => auditLog.events.slice(before);
  return { deps, auditLog, slack, written };
}

const req = (text: string, userId = 'U0AUD') => ({ text, userId, channelId: 'C0OPS' });
const lines = (content: Uint8Array) =>
  Buffer.from(content)
    .toString('utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as AuditEvent);

describe('/port audit export', () => {
  it('an auditor gets the whole log as a file in their DM, audited with its sha256 before it is shared', async () => {
    const { deps, auditLog, slack, written } = await setup();
    const logAtShare: string[][] = [];
    const share = slack.shareFile.bind(slack);
    slack.shareFile = (s) => {
      logAtShare.push(auditLog.events.map((e) => e.type));
      return share(s);
    };
    const plan = handlePortCommand(deps, req('audit export'));
    expect(plan.reply).toBeUndefined();
    expect(slack.calls).toEqual([]);
    const answer = await plan.afterAck?.();
    expect(slack.calls).toEqual([
      'openDm U0AUD',
      'uploadFile F1 portbot-audit-20261121T130000Z.jsonl',
      'shareFile F1 D0AUD',
    ]);
    const content = slack.uploads[0]?.content ?? new Uint8Array();
    const sha256 = createHash('sha256').update(content).digest('hex');
    const exported = lines(content);
    expect(exported).toEqual(auditLog.events.slice(0, 5));
    expect(verifyChain(exported)).toMatchObject({ ok: true, count: 5 });
    expect(written().map((e) => [e.type, e.actor])).toEqual([['audit.exported', 'U0AUD']]);
    expect(written()[0]?.detail).toEqual({
      channel: 'C0OPS',
      text: 'audit export',
      since: null,
      format: 'jsonl',
      count: 5,
      firstSeq: 1,
      lastSeq: 5,
      bytes: content.length,
      sha256,
      malformed: 0,
      fileId: 'F1',
      dmChannel: 'D0AUD',
    });
    // written before the file was shared: an export that cannot be audited is never shared
    expect(logAtShare).toEqual([[...Array<string>(5).fill('alert.opened'), 'audit.exported']]);
    expect(slack.shares[0]).toMatchObject({ fileId: 'F1', channel: 'D0AUD' });
    expect(slack.shares[0]?.comment).toContain(sha256);
    expect(answer?.text).toContain(
      'Sent the audit log to your DM with portbot: 5 events (seq 1–5)',
    );
    expect(answer?.text).toContain(sha256);
  });

  it('--since keeps to the range; an auditor through a user group may export too', async () => {
    const { deps, slack, written } = await setup();
    await handlePortCommand(deps, req('audit export --since 90m', 'U0GRP')).afterAck?.();
    const exported = lines(slack.uploads[0]?.content ?? new Uint8Array());
    expect(exported.map((e) => e.seq)).toEqual([4, 5]);
    expect(written()[0]?.detail).toMatchObject({
      since: new Date(T0 + 90 * 60_000).toISOString(),
      count: 2,
      firstSeq: 4,
      lastSeq: 5,
    });
  });

  it.each([
    ['someone not named', AUDITORS, 'U0NOBODY'],
    ['a policy without auditors', { commands: { channels: ['*'], users: ['*'] } }, 'U0AUD'],
  ])('%s: refused after the ack, audited, nothing read into Slack', async (_what, policy, user) => {
    const { deps, slack, written } = await setup({ policy });
    const plan = handlePortCommand(deps, req('audit export --since 7d', user));
    expect(plan.reply).toBeUndefined();
    const answer = await plan.afterAck?.();
    expect(answer?.text).toContain('Only auditors may export the audit log');
    expect(slack.calls).toEqual([]);
    expect(written().map((e) => [e.type, e.actor, e.detail.reason])).toEqual([
      ['command.refused', user, 'not an auditor'],
    ]);
  });

  it.each([
    ['audit export --since abc', 'expected a duration like 7d'],
    ['audit export --since 999999999d', 'too far back'],
    ['audit export --since 2026-13-45', 'expected a duration like 7d'],
    ['audit export --since 7d --format csv', "unexpected '--format' after audit export"],
    ['audit export now', "unexpected 'now' after audit export"],
  ])('%j is refused at the ack, audited, and uploads nothing', async (text, message) => {
    const { deps, slack, written } = await setup();
    const plan = handlePortCommand(deps, req(text));
    expect(plan.afterAck).toBeUndefined();
    expect(plan.reply?.text).toMatch(/^⚠️/);
    expect(plan.reply?.text).toContain(message);
    expect(JSON.stringify(plan.reply?.blocks)).toContain('usage: /port audit export');
    await new Promise((r) => setImmediate(r));
    expect(written().map((e) => e.type)).toEqual(['command.refused']);
    expect(slack.calls).toEqual([]);
  });

  it('nothing in the range: told so, audited as a run with count 0, no file', async () => {
    const { deps, slack, written } = await setup();
    const answer = await handlePortCommand(deps, req('audit export --since 30m')).afterAck?.();
    expect(answer?.text).toContain('No audit events since');
    expect(slack.calls).toEqual([]);
    expect(written().map((e) => [e.type, e.detail.count])).toEqual([['command.run', 0]]);
  });

  it('an export over the size limit is refused and audited; nothing is uploaded', async () => {
    const { deps, slack, written } = await setup({ maxBytes: 1000 });
    const answer = await handlePortCommand(deps, req('audit export')).afterAck?.();
    expect(answer?.text).toContain('too large to send in Slack');
    expect(slack.calls).toEqual([]);
    expect(written().map((e) => e.type)).toEqual(['command.refused']);
  });

  it('when the export cannot be audited the uploaded file is never shared', async () => {
    const { deps, auditLog, slack, written } = await setup();
    auditLog.failOn = 'audit.exported';
    const answer = await handlePortCommand(deps, req('audit export')).afterAck?.();
    expect(slack.calls.map((c) => c.split(' ')[0])).toEqual(['openDm', 'uploadFile']);
    expect(slack.shares).toEqual([]);
    expect(answer?.text).toContain('could not be recorded in the audit log, so it was not sent');
    expect(written().map((e) => [e.type, e.detail.stage, e.detail.fileId])).toEqual([
      ['audit.export.failed', 'audit', 'F1'],
    ]);
  });

  it.each([
    ['openDm', 'open-dm', null, 'Nothing was shared'],
    ['uploadFile', 'upload', null, 'Nothing was shared'],
    ['shareFile', 'share', 'F1', 'did not confirm sharing'],
  ] as const)('Slack failing at %s is answered and audited', async (call, stage, fileId, text) => {
    const { deps, slack, written } = await setup();
    slack.failAt = { call, error: 'missing_scope' };
    const answer = await handlePortCommand(deps, req('audit export')).afterAck?.();
    expect(answer?.text).toContain(text);
    expect(answer?.text).toContain('missing_scope');
    const failed = written().find((e) => e.type === 'audit.export.failed');
    expect(failed?.detail).toMatchObject({ stage, fileId, error: 'Slack answered missing_scope' });
    expect(failed?.detail.sha256).toMatch(/^[0-9a-f]{64}$/);
    // the export is audited as such only once it was uploaded (its entry names the file)
    expect(written().some((e) => e.type === 'audit.exported')).toBe(stage === 'share');
  });
});
