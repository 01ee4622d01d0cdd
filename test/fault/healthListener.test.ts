import { connect, type Socket } from 'node:net';
import { recordFigure } from '../support/faultFigures';
import { startFaultServe, type FaultServe } from './faultServe';

/**
 * Issue 10 item 11 (N3): public clients holding every connection of serve's listener must not
 * fail its probes. serve runs as behind a proxy (per-address cap off) with its health listener
 * on a port of its own (PORTBOT_HEALTH_PORT).
 */
let f: FaultServe;
let healthPort = 0;
beforeAll(async () => {
  f = await startFaultServe({
    db: 14,
    extra: { PORTBOT_HEALTH_PORT: '0', PORTBOT_MAX_CONNECTIONS_PER_ADDRESS: '0' },
  });
  for (let i = 0; i < 100 && healthPort === 0; i += 1) {
    healthPort = Number(/serve health on :(\d+)/.exec(f.serve.output())?.[1] ?? 0);
    if (healthPort === 0) await new Promise((r) => setTimeout(r, 100));
  }
}, 60_000);
afterAll(async () => {
  await f?.close();
});

/** A request on its own connection; the status, or 'none' when no answer came within 1 s. */
async function probe(port: number, path: string): Promise<number | 'none'> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      signal: AbortSignal.timeout(1000),
      headers: { connection: 'close' },
    });
    await res.text();
    return res.status;
  } catch {
    return 'none';
  }
}

/** Opens a connection and sends the start of a /slack/events request, never its end. */
function holdHeaders(localAddress: string): Promise<Socket> {
  return new Promise((resolve) => {
    const s = connect({ port: f.serve.port, host: '127.0.0.1', localAddress }, () => {
      s.write('POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n');
      resolve(s);
    });
    s.on('error', () => resolve(s));
  });
}

describe('serve with PORTBOT_HEALTH_PORT and the per-address cap off', () => {
  it('answers /healthz, /readyz and /metrics on the health port, and no alert route there', async () => {
    expect(healthPort).toBeGreaterThan(0);
    expect(await probe(healthPort, '/healthz')).toBe(200);
    expect(await probe(healthPort, '/readyz')).toBe(200);
    expect(await probe(healthPort, '/metrics')).toBe(200);
    expect(await probe(healthPort, '/alerts/generic')).toBe(404);
  });

  it('takes more than 64 connections from one address (a proxy in front)', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 100 }, () => probe(f.serve.port, '/healthz')),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
  });

  it('9 addresses × 64 held connections fill the public listener; the health port answers', async () => {
    const held = await Promise.all(
      Array.from({ length: 9 * 64 }, (_, i) => holdHeaders(`127.0.0.${50 + (i % 9)}`)),
    );
    try {
      const publicAnswers: (number | 'none')[] = [];
      const healthAnswers: (number | 'none')[] = [];
      // Within the 5 s headers timeout that frees the held connections.
      for (let i = 0; i < 10; i += 1) {
        publicAnswers.push(await probe(f.serve.port, '/healthz'));
        healthAnswers.push(await probe(healthPort, '/healthz'));
      }
      const publicOk = publicAnswers.filter((s) => s === 200).length;
      console.log(
        `held 576: public /healthz ${publicOk}/10, health port ${healthAnswers.filter((s) => s === 200).length}/10`,
      );
      recordFigure('576 held connections', 'public /healthz answered of 10', publicOk, 'count');
      expect(healthAnswers).toEqual(Array.from({ length: 10 }, () => 200));
    } finally {
      for (const s of held) s.destroy();
    }
  });

  it('cuts a client still sending its headers after the headers timeout with 408', async () => {
    const started = Date.now();
    const s = connect({ port: f.serve.port, host: '127.0.0.1' });
    s.on('error', () => undefined);
    let reply = '';
    s.on('data', (b: Buffer) => (reply += b.toString()));
    const text = 'GET /healthz HTTP/1.1\r\nx-a: ' + 'a'.repeat(200);
    let i = 0;
    const drip = setInterval(() => {
      if (!s.destroyed) s.write(text[i++ % text.length] ?? 'a');
    }, 500);
    await new Promise((resolve) => s.once('close', resolve));
    clearInterval(drip);
    const closedMs = Date.now() - started;
    console.log(`slow headers cut after ${closedMs} ms`);
    recordFigure('slow header sender', 'cut after', closedMs, 'ms');
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
  }, 30_000);

  it('answers a request whose body never completes with 408 (figure: when)', async () => {
    const started = Date.now();
    const s = connect({ port: f.serve.port, host: '127.0.0.1' });
    s.on('error', () => undefined);
    let reply = '';
    s.on('data', (b: Buffer) => (reply += b.toString()));
    s.write(
      'POST /alerts/generic HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 1000\r\n\r\n{"host":',
    );
    await new Promise((resolve) => s.once('close', resolve));
    const closedMs = Date.now() - started;
    console.log(`held body answered 408 after ${closedMs} ms`);
    recordFigure('held request body', 'answered 408 after', closedMs, 'ms');
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
  }, 40_000);
});
