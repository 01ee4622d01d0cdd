import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { startFaultServe, type FaultServe } from './faultServe';

/** Issue 10 item 11: held bodies on /slack/events must not grow serve or stall /healthz. */
let f: FaultServe;
beforeAll(async () => {
  f = await startFaultServe({ db: 15 });
}, 60_000);
afterAll(async () => {
  await f?.close();
});

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? NaN) / 1024;
}

async function healthzMs(): Promise<number> {
  const started = performance.now();
  const res = await fetch(f.url('/healthz'));
  expect(res.status).toBe(200);
  await res.text();
  return performance.now() - started;
}

/**
 * serve admits at most 64 connections per remote address: the held clients come from four
 * loopback addresses (20 each), as many clients would, and /healthz is asked from 127.0.0.1.
 */
let nextClient = 0;
function clientAddress(): string {
  nextClient += 1;
  return `127.0.0.${10 + (nextClient % 4)}`;
}

function hold(headers: string, bodyBytes: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const opts = { port: f.serve.port, host: '127.0.0.1', localAddress: clientAddress() };
    const s = connect(opts, () => {
      s.write(`POST /slack/events HTTP/1.1\r\nHost: x\r\n${headers}\r\n`);
      s.write(Buffer.alloc(bodyBytes, 'a'));
      resolve(s);
    });
    s.on('error', () => undefined);
    s.once('error', reject);
  });
}

describe('held bodies on /slack/events', () => {
  it('80 clients holding signed-looking bodies leave serve small and /healthz quick', async () => {
    const pid = f.serve.child.pid ?? 0;
    const rssBefore = rssMb(pid);
    const ts = Math.floor(Date.now() / 1000);
    const headers =
      'Content-Type: application/x-www-form-urlencoded\r\n' +
      `X-Slack-Request-Timestamp: ${ts}\r\nX-Slack-Signature: v0=${'0'.repeat(64)}\r\n` +
      `Content-Length: ${128 * 1024}\r\n`;
    // each sends all but the last bytes and waits: the most a client can make serve hold
    const sockets = await Promise.all(
      Array.from({ length: 80 }, () => hold(headers, 128 * 1024 - 10)),
    );
    await new Promise((r) => setTimeout(r, 500));
    const samples: number[] = [];
    for (let i = 0; i < 10; i += 1) samples.push(await healthzMs());
    const rssHeld = rssMb(pid);
    for (const s of sockets) s.destroy();
    const worst = Math.max(...samples);
    console.log(
      `held bodies: RSS ${rssBefore.toFixed(0)} MB -> ${rssHeld.toFixed(0)} MB; /healthz worst ${worst.toFixed(1)} ms, median ${samples.sort((a, b) => a - b)[5]?.toFixed(1)} ms`,
    );
    expect(rssHeld).toBeLessThan(250);
    expect(worst).toBeLessThan(500);
  });

  it('requests without signature headers are refused before their body and closed', async () => {
    const refused = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const s = await hold(
          'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000000\r\n',
          1024,
        );
        let reply = '';
        s.on('data', (b: Buffer) => (reply += b.toString()));
        await new Promise((resolve) => s.once('close', resolve));
        return reply;
      }),
    );
    for (const reply of refused) expect(reply).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('an announced body above the Slack cap is a 413 before reading it', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const s = await hold(
      `X-Slack-Request-Timestamp: ${ts}\r\nX-Slack-Signature: v0=${'0'.repeat(64)}\r\nContent-Length: 4194304\r\n`,
      0,
    );
    let reply = '';
    s.on('data', (b: Buffer) => (reply += b.toString()));
    await new Promise((resolve) => s.once('close', resolve));
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('HEAD /healthz is 200 without a body', async () => {
    const res = await fetch(f.url('/healthz'), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});
