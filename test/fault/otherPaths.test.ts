import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ALERT_TOKEN } from '../support/serviceEnv';
import { AUDIT_TOKEN, startFaultServe, type FaultServe } from './faultServe';

/** Issue 10 items 10, 11, 13 beyond /alerts/generic: other paths, slow headers, small answers. */
let f: FaultServe;
beforeAll(async () => {
  f = await startFaultServe({ db: 15 });
}, 60_000);
afterAll(async () => {
  await f?.close();
});

/** Announces Content-Length 1e11 and streams for up to 5 s; what serve answered and when it closed. */
async function streamEndless(head: string) {
  const started = Date.now();
  const socket = connect(f.serve.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.on('error', () => undefined);
  socket.write(`${head} HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000000\r\n\r\n`);
  let reply = '';
  socket.on('data', (b: Buffer) => (reply += b.toString()));
  let closed = false;
  const done = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  void done.then(() => (closed = true));
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let written = 0;
  while (!closed && Date.now() - started < 5000) {
    if (socket.write(chunk)) written += chunk.length;
    else await Promise.race([new Promise((r) => socket.once('drain', r)), done]);
  }
  const elapsed = Date.now() - started;
  socket.destroy();
  return { reply, closed, elapsed, written };
}

describe('answers that leave an endless body unread', () => {
  it.each([
    'POST /alerts/zzz',
    'POST /nothing',
    'POST /healthz',
    'POST /audit/export',
    'GET /alerts/generic',
    'GET /slack/events',
  ])('%s is answered and closed within about a second', async (head) => {
    const r = await streamEndless(head);
    console.log(
      `${head}: ${(r.written / 1e6).toFixed(1)} MB written, closed after ${r.elapsed} ms`,
    );
    expect(r.reply).toMatch(/^HTTP\/1\.1 40[45] /);
    expect(r.reply.toLowerCase()).toContain('connection: close');
    expect(r.closed).toBe(true);
    expect(r.elapsed).toBeLessThan(2000);
    expect(r.written).toBeLessThan(32 * 1024 * 1024);
  });

  it('a generic alert that is not JSON is 415 and closed', async () => {
    const res = await fetch(f.url('/alerts/generic'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${ALERT_TOKEN}` },
      body: '{"host":"lb-01","port":8080}',
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('connection')).toBe('close');
    expect(await f.queuedJobs()).toBe(0);
  });
});

function get(path: string, method: string, localAddress?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: f.serve.port,
        path,
        method,
        ...(localAddress ? { localAddress } : {}),
      },
      (res) => {
        let body = '';
        res.on('data', (b: Buffer) => (body += b.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('small answers', () => {
  it('HEAD /healthz, /readyz and /metrics are 200 without a body', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      expect(await get(path, 'HEAD')).toEqual({ status: 200, body: '' });
    }
  });

  it('a query parameter given twice on /audit/export is 400', async () => {
    const res = await fetch(f.url('/audit/export?since=1d&since=2d'), {
      headers: { authorization: `Bearer ${AUDIT_TOKEN}` },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'query parameter since given more than once' });
  });
});

describe('slow headers from many connections of one client', () => {
  it('are closed by the header timeout on time; the cap spares other clients and /healthz', async () => {
    const started = Date.now();
    const sockets: Socket[] = [];
    const closedAt: number[] = [];
    for (let i = 0; i < 100; i += 1) {
      const s = connect({ port: f.serve.port, host: '127.0.0.1', localAddress: '127.0.0.3' });
      s.on('error', () => undefined);
      s.once('close', () => closedAt.push(Date.now() - started));
      s.once('connect', () => s.write('GET /healthz HTTP/1.1\r\n'));
      sockets.push(s);
    }
    const drip = setInterval(() => {
      for (const s of sockets) if (!s.destroyed) s.write(`X-Drip-${Date.now()}: 1\r\n`);
    }, 1000);
    try {
      await sleep(2000);
      // beyond the per-address cap of 64, the rest were closed on arrival
      expect(closedAt.length).toBeGreaterThanOrEqual(36);
      expect(await get('/healthz', 'GET', '127.0.0.2')).toEqual({
        status: 200,
        body: '{"ok":true}',
      });
      while (closedAt.length < 100 && Date.now() - started < 20_000) await sleep(200);
    } finally {
      clearInterval(drip);
      for (const s of sockets) s.destroy();
    }
    const last = Math.max(...closedAt);
    console.log(`slow headers: all 100 closed after ${last} ms`);
    expect(closedAt.length).toBe(100);
    expect(last).toBeLessThan(12_500);
    expect(await get('/healthz', 'GET', '127.0.0.3')).toMatchObject({ status: 200 });
  }, 30_000);
});
