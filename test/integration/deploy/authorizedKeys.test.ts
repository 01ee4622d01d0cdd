import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'ssh2';
import { PROBE_SHELL_COMMAND } from '../../../src/probes/catalogue';
import type { PortbotError } from '../../../src/domain/PortbotError';
import { SshPool } from '../../../src/ssh/SshPool';
import { startTestSshd, type TestSshd } from '../../support/sshd/startTestSshd';

/**
 * deploy/ssh's authorized_keys lines, options exactly as shipped (only the addresses and the key
 * swapped for this machine's), in a real OpenSSH sshd, driven by portbot's own SSH pool.
 */
const repo = resolve(__dirname, '../../..');
let sshd: TestSshd;
const pools: SshPool[] = [];

/** The example's one key line, with `from=` set to `from` and the test client's public key. */
function keyLine(file: string, from: string): string {
  const line = readFileSync(join(repo, 'deploy/ssh', file), 'utf8')
    .split('\n')
    .find((l) => l.trim() !== '' && !l.startsWith('#'));
  if (!line) throw new Error(`${file}: no key line`);
  const key = readFileSync(`${sshd.clientKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2);
  const withKey = line.replace(/ssh-ed25519 REPLACE-WITH-THE-PUBLIC-KEY/, key.join(' '));
  expect(withKey).not.toEqual(line);
  return withKey.replace(/from="[^"]*"/, `from="${from}"`);
}

function authorize(line: string): void {
  writeFileSync(join(sshd.dir, 'authorized_keys'), `${line}\n`);
}

function pool(): SshPool {
  const p = new SshPool();
  pools.push(p);
  return p;
}

/** Asks sshd to forward a TCP connection; resolves with the refusal, or 'forwarded'. */
function tryForward(): Promise<string> {
  return new Promise((resolveForward, reject) => {
    const client = new Client();
    client.once('error', reject);
    client.once('ready', () => {
      client.forwardOut('127.0.0.1', 0, '127.0.0.1', sshd.port, (err) => {
        client.end();
        resolveForward(err ? err.message : 'forwarded');
      });
    });
    client.connect({
      host: '127.0.0.1',
      port: sshd.port,
      username: 'root',
      privateKey: readFileSync(sshd.clientKey),
      hostVerifier: () => true,
    });
  });
}

beforeAll(async () => {
  sshd = await startTestSshd({ cleanHome: true });
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
afterAll(async () => {
  await sshd.stop();
});

describe('authorized_keys.portbot-diag', () => {
  it("runs portbot's probe script, sent on stdin as portbot sends it", async () => {
    authorize(keyLine('authorized_keys.portbot-diag', '127.0.0.1'));
    const r = await pool().exec(sshd.host(), PROBE_SHELL_COMMAND, {
      stdin: 'printf \'%s\\n\' probe-ran "$((6 * 7))"\n',
    });
    expect(r).toMatchObject({ stdout: 'probe-ran\n42\n', code: 0 });
  });

  it('ignores any other command the client asks for (command= wins)', async () => {
    authorize(keyLine('authorized_keys.portbot-diag', '127.0.0.1'));
    const r = await pool().exec(sshd.host(), 'echo this-must-not-run', { stdin: 'echo forced\n' });
    expect(r.stdout).toBe('forced\n');
  });

  it('refuses port forwarding (restrict)', async () => {
    authorize(keyLine('authorized_keys.portbot-diag', '127.0.0.1'));
    expect(await tryForward()).not.toBe('forwarded');
  });

  it('refuses the key from any other address (from=)', async () => {
    authorize(keyLine('authorized_keys.portbot-diag', '10.255.255.1'));
    await expect(
      pool().exec(sshd.host(), PROBE_SHELL_COMMAND, { stdin: 'true\n' }),
    ).rejects.toMatchObject({
      code: 'SSH_AUTH',
    } satisfies Partial<PortbotError>);
  });
});

describe('authorized_keys.portbot-remediate', () => {
  it('runs the approved step command as sent (no forced command)', async () => {
    authorize(keyLine('authorized_keys.portbot-remediate', '127.0.0.1'));
    const r = await pool().exec(sshd.host(), "printf '%s' step-ran");
    expect(r).toMatchObject({ stdout: 'step-ran', code: 0 });
  });

  it('refuses port forwarding and other addresses', async () => {
    authorize(keyLine('authorized_keys.portbot-remediate', '127.0.0.1'));
    expect(await tryForward()).not.toBe('forwarded');
    authorize(keyLine('authorized_keys.portbot-remediate', '10.255.255.1'));
    await expect(pool().exec(sshd.host(), 'true')).rejects.toMatchObject({ code: 'SSH_AUTH' });
  });
});
