import { createServer, type Server, type Socket } from 'node:net';
import type { PortbotError } from '../../../src/domain/PortbotError';
import { SshPool } from '../../../src/ssh/SshPool';
import { startFullBacklogListener } from '../../support/sshd/startFullBacklogListener';
import { freePort, startTestSshd, type TestSshd } from '../../support/sshd/startTestSshd';

let sshd: TestSshd;
let pool: SshPool;
beforeAll(async () => {
  sshd = await startTestSshd({ cleanHome: true });
});
beforeEach(() => {
  pool = new SshPool();
});
afterEach(async () => {
  await pool.close();
});
afterAll(async () => {
  await sshd.stop();
});

const failure = (p: Promise<unknown>): Promise<PortbotError> =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as PortbotError,
  );

test('a key the server does not know → SSH_AUTH', async () => {
  const err = await failure(pool.exec(sshd.host({ privateKeyPath: sshd.unauthorizedKey }), 'true'));
  expect(err.code).toBe('SSH_AUTH');
  expect(err.message).toBe(
    `test-sshd (127.0.0.1:${sshd.port}): authentication failed for user root (All configured authentication methods failed)`,
  );
  expect(pool.stats()).toMatchObject({ open: 0, connectFailures: 1 });
});

test('a closed port → SSH_REFUSED', async () => {
  const port = await freePort();
  const err = await failure(pool.exec(sshd.host({ port }), 'true'));
  expect(err.code).toBe('SSH_REFUSED');
  expect(err.message).toBe(
    `test-sshd (127.0.0.1:${port}): connection refused (is sshd running on that port?)`,
  );
});

test('a TCP listener that never speaks → SSH_TIMEOUT within connectTimeoutMs', async () => {
  const sockets: Socket[] = [];
  const silent: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const addr = silent.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  try {
    const started = Date.now();
    const err = await failure(pool.exec(sshd.host({ port, connectTimeoutMs: 500 }), 'true'));
    const elapsed = Date.now() - started;
    expect(err.code).toBe('SSH_TIMEOUT');
    expect(err.message).toBe(`test-sshd (127.0.0.1:${port}): SSH handshake timed out after 500 ms`);
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(2000);
  } finally {
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => silent.close(r));
  }
});

test('a TCP connect that gets no SYN-ACK → SSH_TIMEOUT from our own connect deadline', async () => {
  const blackhole = await startFullBacklogListener();
  try {
    const started = Date.now();
    const host = sshd.host({ port: blackhole.port, connectTimeoutMs: 400 });
    const err = await failure(pool.exec(host, 'true'));
    expect(err.code).toBe('SSH_TIMEOUT');
    expect(err.message).toBe(
      `test-sshd (127.0.0.1:${blackhole.port}): TCP connect timed out after 400 ms`,
    );
    expect(Date.now() - started).toBeLessThan(1500);
  } finally {
    blackhole.stop();
  }
});

test('a failed connect is not cached: the next exec tries again', async () => {
  const port = await freePort();
  const host = sshd.host({ port });
  await failure(pool.exec(host, 'true'));
  await failure(pool.exec(host, 'true'));
  expect(pool.stats().connectFailures).toBe(2);
});

test('missing key file → SSH_AUTH before any connection', async () => {
  const before = sshd.acceptedLogins();
  const err = await failure(
    pool.exec(sshd.host({ privateKeyPath: '/nonexistent/id_ed25519' }), 'true'),
  );
  expect(err.code).toBe('SSH_AUTH');
  expect(err.message).toContain('private key file /nonexistent/id_ed25519 cannot be read (ENOENT)');
  expect(sshd.acceptedLogins()).toBe(before);
});

test('exec after close() is refused', async () => {
  await pool.close();
  await expect(pool.exec(sshd.host(), 'true')).rejects.toMatchObject({ code: 'SSH_ERROR' });
});
