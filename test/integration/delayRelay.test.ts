import { randomBytes } from 'node:crypto';
import {
  createConnection,
  createServer,
  type AddressInfo,
  type Server,
  type Socket,
} from 'node:net';
import { DelayRelay } from '../lab/relay/DelayRelay';

// The far-hosts relay on loopback, no lab needed. Only lower bounds on time are asserted: a
// relay cannot deliver early, but a loaded machine may deliver late.
const DELAY = 25;

interface Upstream {
  server: Server;
  port: number;
  accepted: Promise<Socket>;
}

function upstream(): Promise<Upstream> {
  return new Promise((resolve) => {
    let accept: (s: Socket) => void = () => undefined;
    const accepted = new Promise<Socket>((r) => (accept = r));
    const server = createServer({ allowHalfOpen: true }, accept);
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port, accepted }),
    );
  });
}

async function relayTo(port: number): Promise<{ relay: DelayRelay; port: number }> {
  const listenPort = await freePort();
  const relay = new DelayRelay({
    delayMs: DELAY,
    routes: [{ listenHost: '127.0.0.1', listenPort, targetHost: '127.0.0.1', targetPort: port }],
  });
  await relay.listen();
  return { relay, port: listenPort };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const c = createConnection({ host: '127.0.0.1', port, allowHalfOpen: true }, () => resolve(c));
    c.once('error', reject);
  });
}

/** Resolves with the first chunk read after the call, and when it was read. */
function nextData(s: Socket): Promise<{ data: Buffer; at: number }> {
  return new Promise((resolve) =>
    s.once('data', (data: Buffer) => resolve({ data, at: performance.now() })),
  );
}

/** Everything read until the peer's FIN. */
function readAll(s: Socket): Promise<Buffer> {
  const parts: Buffer[] = [];
  s.on('data', (b: Buffer) => parts.push(b));
  return new Promise((resolve) => s.once('end', () => resolve(Buffer.concat(parts))));
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function setUp(): Promise<{ relay: DelayRelay; client: Socket; server: Socket }> {
  const up = await upstream();
  const { relay, port } = await relayTo(up.port);
  cleanup.push(() => new Promise((r) => up.server.close(() => r())));
  cleanup.push(() => relay.close());
  const client = await connect(port);
  const server = await up.accepted;
  cleanup.push(() => {
    client.destroy();
    server.destroy();
  });
  return { relay, client, server };
}

test('adds at least the handshake (1.5 round trips) before the first byte, then the delay each way', async () => {
  const { relay, client, server } = await setUp();
  const t0 = performance.now();
  const first = nextData(server);
  client.write('ping');
  const up = await first;
  expect(up.data.toString()).toBe('ping');
  expect(up.at - t0).toBeGreaterThanOrEqual(3 * DELAY);
  for (let i = 0; i < 3; i++) {
    const back = nextData(client);
    const sent = performance.now();
    server.write(`pong${i}`);
    const down = await back;
    expect(down.data.toString()).toBe(`pong${i}`);
    expect(down.at - sent).toBeGreaterThanOrEqual(DELAY);
    const again = nextData(server);
    const sentUp = performance.now();
    client.write(`ping${i}`);
    const next = await again;
    expect(next.data.toString()).toBe(`ping${i}`);
    expect(next.at - sentUp).toBeGreaterThanOrEqual(DELAY);
  }
  expect(relay.stats).toMatchObject({
    connections: 1,
    flightsUp: 4,
    flightsDown: 3,
    exchanges: 3,
    bytesUp: 4 + 3 * 5,
    bytesDown: 3 * 5,
    errors: 0,
  });
});

test('bytes arrive intact and in order both ways, through half-close and back-pressure', async () => {
  const { relay, client, server } = await setUp();
  const up = randomBytes(300 * 1024);
  const down = randomBytes(4 * 1024 * 1024);
  const serverGot = readAll(server);
  const clientGot = readAll(client);
  // Many small writes spread over time, so chunks queue behind each other in the relay.
  for (let off = 0; off < up.length; off += 3000) {
    client.write(up.subarray(off, off + 3000));
    if (off % 30000 === 0) await new Promise((r) => setTimeout(r, 3));
  }
  client.end();
  // The server still writes after the client's FIN: half-close must keep this direction open.
  expect((await serverGot).equals(up)).toBe(true);
  server.end(down);
  expect((await clientGot).equals(down)).toBe(true);
  expect(relay.stats.bytesUp).toBe(up.length);
  expect(relay.stats.bytesDown).toBe(down.length);
});

test('an upstream that refuses resets the client and counts an error', async () => {
  const { relay, port } = await relayTo(await freePort());
  cleanup.push(() => relay.close());
  const client = await connect(port);
  const err = await new Promise<NodeJS.ErrnoException>((r) => client.once('error', r));
  expect(err.code).toBe('ECONNRESET');
  expect(relay.stats).toMatchObject({ connections: 1, errors: 1 });
});
