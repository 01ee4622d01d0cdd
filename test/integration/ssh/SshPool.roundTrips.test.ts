import { DelayRelay, type RelayStats } from '../../lab/relay/DelayRelay';
import { SshPool } from '../../../src/ssh/SshPool';
import { freePort, startTestSshd, type TestSshd } from '../../support/sshd/startTestSshd';

// Round trips counted by the far-hosts relay in front of a real sshd (counts, not times): what
// a diagnosis costs a host in another region.
let sshd: TestSshd;
let relay: DelayRelay;
let relayPort: number;
const pools: SshPool[] = [];

beforeAll(async () => {
  sshd = await startTestSshd({ cleanHome: true });
  relayPort = await freePort();
  relay = new DelayRelay({
    delayMs: 25,
    routes: [
      {
        listenHost: '127.0.0.1',
        listenPort: relayPort,
        targetHost: '127.0.0.1',
        targetPort: sshd.port,
      },
    ],
  });
  await relay.listen();
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
afterAll(async () => {
  await relay?.close();
  await sshd?.stop();
});

function farHost(overrides: Parameters<TestSshd['host']>[0] = {}): ReturnType<TestSshd['host']> {
  const line = sshd.knownHostsLine().replace(/^\S+/, `[127.0.0.1]:${relayPort}`);
  const knownHostsPath = sshd.writeKnownHosts('known_hosts_relayed', [line]);
  return sshd.host({ port: relayPort, knownHostsPath, ...overrides });
}

async function exchangesOf(f: () => Promise<unknown>): Promise<number> {
  const before: RelayStats = { ...relay.stats };
  await f();
  return relay.stats.exchanges - before.exchanges;
}

test('a pooled exec with a script on stdin is three exchanges; a new connection four more and the TCP handshake', async () => {
  const pool = new SshPool();
  pools.push(pool);
  const host = farHost();
  const run = () => pool.exec(host, 'exec /bin/sh -s', { stdin: 'echo "$((6 * 7))"\n' });
  const cold = await exchangesOf(async () => expect(await run()).toMatchObject({ stdout: '42\n' }));
  const warm = await exchangesOf(async () => expect(await run()).toMatchObject({ stdout: '42\n' }));
  // Channel open; exec (OpenSSH's sshd opens a session with a zero window and widens it only
  // once the command runs, so the script cannot ride with the exec request); the script.
  expect(warm).toBe(3);
  // Ident and KEXINIT, ECDH, ssh-userauth, one publickey request signed at once (ssh2 alone
  // asks first whether the key would do: one more), then the exec's three.
  expect(cold).toBe(7);
  expect(relay.stats.connections).toBe(1);
});

test('a key the server does not accept is still refused when its request goes out signed', async () => {
  const pool = new SshPool();
  pools.push(pool);
  const host = farHost({ privateKeyPath: sshd.unauthorizedKey });
  await expect(pool.exec(host, 'true')).rejects.toMatchObject({ code: 'SSH_AUTH' });
});
