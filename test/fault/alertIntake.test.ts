import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { ALERT_TOKEN } from '../support/serviceEnv';
import { startFaultServe, type FaultServe } from './faultServe';

/** Issue 10 items 8, 10, 13: alert HMAC replays, the 413 that kept reading, JSON parsed twice. */
const HMAC_SECRET = 'fault-hmac-secret-0123456789';
let f: FaultServe;
beforeAll(async () => {
  f = await startFaultServe({ db: 15, extra: { PORTBOT_ALERT_HMAC_SECRET: HMAC_SECRET } });
}, 60_000);
afterAll(async () => {
  await f?.close();
});

const alert = (status: 'firing' | 'resolved') =>
  JSON.stringify({ host: 'lb-01', port: 8080, status, summary: 'probe failed' });

function signed(body: string, ts = Math.floor(Date.now() / 1000), basestring?: string) {
  const mac = createHmac('sha256', HMAC_SECRET)
    .update(basestring ?? `v0:${ts}:${body}`)
    .digest('hex');
  return { 'x-portbot-signature': `v0=${mac}`, 'x-portbot-timestamp': String(ts) };
}

async function post(body: string, headers: Record<string, string>) {
  const res = await fetch(f.url('/alerts/generic'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, json: await res.json() };
}

describe('alert HMAC', () => {
  it('accepts a signed alert once; the same signed body again is refused', async () => {
    const body = alert('firing');
    const headers = signed(body);
    expect((await post(body, headers)).status).toBe(202);
    expect(await post(body, headers)).toEqual({
      status: 409,
      json: { error: 'this signed request was already received' },
    });
  });

  it('a signed alert answered 503 after its replay claim is taken when the sender resends it', async () => {
    const body = JSON.stringify({ host: 'lb-01', port: 8443, status: 'firing', summary: 'retry' });
    const headers = signed(body);
    // Redis fails between the replay claim (SET NX) and the incident scripts: scripts refused.
    await f.redis.call('ACL', 'SETUSER', 'default', '-@scripting');
    let first: { status: number };
    try {
      first = await post(body, headers);
    } finally {
      await f.redis.call('ACL', 'SETUSER', 'default', '+@all');
    }
    expect(first.status).toBe(503);
    const retry = await post(body, headers);
    expect(retry.status).toBe(202);
    expect(retry.json).toMatchObject({ accepted: 1, results: [{ outcome: 'opened' }] });
    // Delivered once: the next copy is a replay again.
    expect((await post(body, headers)).status).toBe(409);
  });

  it('refuses a captured body replayed with a stale, future or body-only signature', async () => {
    const body = alert('resolved');
    const now = Math.floor(Date.now() / 1000);
    for (const ts of [now - 360, now + 360, now + 86400]) {
      expect((await post(body, signed(body, ts))).status).toBe(401);
    }
    // the old scheme: HMAC of the body alone
    const bodyOnly = signed(body, now, body);
    expect((await post(body, bodyOnly)).status).toBe(401);
    const noTimestamp = { 'x-portbot-signature': signed(body)['x-portbot-signature'] };
    expect((await post(body, noTimestamp)).status).toBe(401);
  });

  it('still takes bearer tokens as before, and parses a JSON string body once', async () => {
    const ok = await post(alert('resolved'), { authorization: `Bearer ${ALERT_TOKEN}` });
    expect(ok.status).toBe(202);
    const asString = JSON.stringify(alert('firing'));
    const r = await post(asString, { authorization: `Bearer ${ALERT_TOKEN}` });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json)).toContain('malformed generic payload');
  });
});

describe('413 on /alerts', () => {
  it('refuses Content-Length 1e11 at once and closes the connection, reading almost nothing', async () => {
    const started = Date.now();
    const socket = connect(f.serve.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /alerts/generic HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        `Authorization: Bearer ${ALERT_TOKEN}\r\nContent-Length: 100000000000\r\n\r\n`,
    );
    let reply = '';
    socket.on('data', (b: Buffer) => (reply += b.toString()));
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let written = 0;
    let closed = false;
    socket.on('error', () => undefined);
    const done = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    void done.then(() => (closed = true));
    // stream as fast as the socket takes it, for at most 5 s
    while (!closed && Date.now() - started < 5000) {
      if (socket.write(chunk)) written += chunk.length;
      else await Promise.race([new Promise((r) => socket.once('drain', r)), done]);
    }
    const elapsed = Date.now() - started;
    socket.destroy();
    console.log(`413 attack: ${(written / 1e6).toFixed(1)} MB written, closed after ${elapsed} ms`);
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply.toLowerCase()).toContain('connection: close');
    expect(closed).toBe(true);
    expect(elapsed).toBeLessThan(2000);
    // what the kernel buffers took before the reset: megabytes at most, not the gigabytes of before
    expect(written).toBeLessThan(32 * 1024 * 1024);
  });
});

describe('aborted /alerts bodies', () => {
  it('a client hanging up mid-body is one warn line, no error and no 503', async () => {
    const from = f.serve.output().length;
    const replies = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const socket = connect(f.serve.port, '127.0.0.1');
        socket.on('error', () => undefined);
        await new Promise((resolve) => socket.once('connect', resolve));
        let reply = '';
        socket.on('data', (b: Buffer) => (reply += b.toString()));
        socket.write(
          'POST /alerts/generic HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
            `Authorization: Bearer ${ALERT_TOKEN}\r\nContent-Length: 1000\r\n\r\n{"host":"lb-01",`,
        );
        await new Promise((r) => setTimeout(r, 200));
        socket.destroy();
        return reply;
      }),
    );
    const lines = () =>
      f.serve
        .output()
        .slice(from)
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { level: number; msg: string });
    const aborted = () => lines().filter((l) => l.msg === 'alert request body aborted');
    for (let i = 0; i < 50 && aborted().length < 20; i += 1)
      await new Promise((r) => setTimeout(r, 100));
    expect(replies).toEqual(Array.from({ length: 20 }, () => ''));
    expect(aborted().map((l) => l.level)).toEqual(Array.from({ length: 20 }, () => 40));
    expect(lines().filter((l) => l.level >= 50)).toEqual([]);
  });
});
