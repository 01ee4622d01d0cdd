import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { waitFor } from '../lab/waitFor';
import { PORTBOT_BIN } from '../support/portbotProcess';
import { ALERT_CHANNEL, ALLOWED_USER, SIGNING_SECRET } from '../support/serviceEnv';
import { signSlackRequest, slashCommandBody } from '../support/signSlackRequest';
import { startFaultServe, type FaultServe } from './faultServe';

/** Issue 10 items 7, 9, 13: replays, poisoned fields and odd requests against a real serve. */
let f: FaultServe;
beforeAll(async () => {
  f = await startFaultServe({ db: 15 });
}, 60_000);
afterAll(async () => {
  await f?.close();
});

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function post(body: string, headers: Record<string, string>) {
  const res = await fetch(f.url('/slack/events'), {
    method: 'POST',
    headers: { ...FORM, ...headers },
    body,
  });
  return { status: res.status, text: await res.text() };
}

const command = (text: string, extra: Record<string, string> = {}) =>
  slashCommandBody({ text, user_id: ALLOWED_USER, channel_id: ALERT_CHANNEL, ...extra });

describe('Slack replays', () => {
  it('signature variants of one signed /port check queue exactly one diagnosis', async () => {
    const before = await f.queuedJobs();
    const body = command('check lb-01 80');
    const signed = signSlackRequest(SIGNING_SECRET, body);
    expect((await post(body, { ...signed })).status).toBe(200);
    const sig = signed['x-slack-signature'];
    const variants = [
      ...Array.from({ length: 20 }, (_, i) => `${sig}=${i}`),
      sig.toUpperCase().replace('V0=', 'v0='),
      `${sig},${sig}`,
    ];
    const answers = await Promise.all(
      variants.map((v) => post(body, { ...signed, 'x-slack-signature': v })),
    );
    expect(answers.map((a) => a.status)).toEqual(variants.map(() => 401));
    const exact = await post(body, { ...signed });
    expect(exact.text).toContain('already received');
    await new Promise((r) => setTimeout(r, 300));
    expect((await f.queuedJobs()) - before).toBe(1);
  });

  it('refuses correctly signed timestamps an hour or a year in the future, and 6 minutes old', async () => {
    const before = await f.queuedJobs();
    const now = Math.floor(Date.now() / 1000);
    for (const ts of [now + 3600, now + 365 * 86400, now - 360]) {
      const body = command('check lb-01 80');
      const r = await post(body, { ...signSlackRequest(SIGNING_SECRET, body, ts) });
      expect(r).toEqual({
        status: 401,
        text: JSON.stringify({ error: 'timestamp more than 300 s from now' }),
      });
    }
    expect((await f.queuedJobs()) - before).toBe(0);
  });
});

describe('poisoned Slack fields', () => {
  it('a duplicated user_id or a missing one is a 400, nothing is queued and audit verify passes', async () => {
    const before = await f.queuedJobs();
    const dup = `${command('check lb-01 80')}&user_id=U0BOB`;
    const r = await post(dup, { ...signSlackRequest(SIGNING_SECRET, dup) });
    expect(r).toEqual({
      status: 400,
      text: JSON.stringify({ error: "form field 'user_id' appears more than once" }),
    });
    const form = new URLSearchParams(command('check lb-01 80'));
    form.delete('user_id');
    const missing = form.toString();
    const m = await post(missing, { ...signSlackRequest(SIGNING_SECRET, missing) });
    expect(m.status).toBe(400);
    expect(m.text).toContain('malformed slash command: user_id');
    expect((await f.queuedJobs()) - before).toBe(0);

    const verify = await promisify(execFile)(process.execPath, [PORTBOT_BIN, 'audit', 'verify'], {
      env: { PATH: process.env.PATH ?? '', REDIS_URL: f.env.REDIS_URL ?? '' },
    });
    expect(verify.stdout).toMatch(/^audit log ok: \d+ events/);
  });

  it('a signed button payload without a user is a 400, not a 500', async () => {
    const payload = { type: 'block_actions', team: { id: 'T0PORTBOT' }, actions: [] };
    const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const r = await post(body, { ...signSlackRequest(SIGNING_SECRET, body) });
    expect(r.status).toBe(400);
    expect(r.text).toContain('malformed interactive payload: user');
  });

  it('a signed click on a button portbot does not know is answered at once, without an error', async () => {
    const from = f.serve.output().length;
    const payload = {
      type: 'block_actions',
      team: { id: 'T0PORTBOT' },
      user: { id: ALLOWED_USER },
      channel: { id: ALERT_CHANNEL },
      trigger_id: 'unknown-action-click',
      actions: [{ type: 'button', action_id: 'somebody:else:button', block_id: 'b', value: 'x' }],
    };
    const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const started = Date.now();
    const r = await post(body, { ...signSlackRequest(SIGNING_SECRET, body) });
    console.log(`unknown action answered ${r.status} in ${Date.now() - started} ms`);
    expect(r.status).toBe(200);
    await waitFor('the unknown-action log line', () =>
      f.serve.output().slice(from).includes('unknown action ignored'),
    );
    const lines = f.serve.output().slice(from).split('\n').filter(Boolean);
    const levels = lines.map((l) => (JSON.parse(l) as { level: number }).level);
    expect(levels.filter((level) => level >= 50)).toEqual([]);
  });

  it('refuses a workspace the policy does not list', async () => {
    const before = await f.queuedJobs();
    const body = command('check lb-01 80', { team_id: 'T0STRANGER' });
    const r = await post(body, { ...signSlackRequest(SIGNING_SECRET, body) });
    expect(r.status).toBe(403);
    expect((await f.queuedJobs()) - before).toBe(0);
    // The refusal is logged as the 403 goes out; the log line may reach the pipe just after it.
    await waitFor('the refusal log line', () =>
      f.serve.output().includes('slack request from another workspace refused'),
    );
  });
});

describe('odd requests', () => {
  it('GET and HEAD on /slack/events are 405 with Allow: POST and log no error', async () => {
    for (const method of ['GET', 'HEAD']) {
      const res = await fetch(f.url('/slack/events'), { method });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
    expect(f.serve.output()).not.toMatch(/"level":50/);
  });

  it('limits single-host checks per person', async () => {
    const before = await f.queuedJobs();
    const answers: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      // distinct bodies (trigger_id), so these are not replays
      const body = command('check lb-01 443', { trigger_id: `limit-${i}-${Date.now()}` });
      answers.push((await post(body, { ...signSlackRequest(SIGNING_SECRET, body) })).text);
    }
    await f.standIn.waitFor(
      () => (f.standIn.calls('chat.postEphemeral').length > 0 ? true : undefined),
      5000,
    );
    const queued = (await f.queuedJobs()) - before;
    // the first test's check holds one of the person's 6 slots for a minute
    expect(queued).toBe(5);
    const refusals = f.standIn.calls('chat.postEphemeral');
    expect(JSON.stringify(refusals.at(-1)?.params)).toContain('single-host checks per person');
  });
});
