import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostConfig } from '../../../src/domain/HostConfig';
import { SshAuthLoader } from '../../../src/ssh/SshAuthLoader';

const dir = mkdtempSync(join(tmpdir(), 'portbot-auth-'));
const SECRET = 'hunter2-do-not-log';
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'plain')]);
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', SECRET, '-f', join(dir, 'enc')]);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const host = (over: Partial<HostConfig>): HostConfig => ({
  name: 'lb-01',
  address: '10.0.0.11',
  port: 22,
  user: 'diag',
  sudo: false,
  connectTimeoutMs: 5000,
  commandTimeoutMs: 10000,
  labels: {},
  ...over,
});

describe('SshAuthLoader', () => {
  test('plain key → publickey method with a parsed key, read once', async () => {
    const path = join(dir, 'once');
    copyFileSync(join(dir, 'plain'), path);
    const loader = new SshAuthLoader({});
    const [m1] = await loader.methods(host({ privateKeyPath: path }));
    expect(m1?.type).toBe('publickey');
    expect(m1?.username).toBe('diag');
    writeFileSync(path, 'garbage'); // a second read would fail to parse
    const [m2] = await loader.methods(host({ privateKeyPath: path }));
    expect(m2 && 'key' in m2 && m1 && 'key' in m1 && m2.key === m1.key).toBe(true);
  });

  test('encrypted key decrypts with the passphrase from the named variable', async () => {
    const loader = new SshAuthLoader({ LB_KEY_PASS: SECRET });
    const methods = await loader.methods(
      host({ privateKeyPath: join(dir, 'enc'), passphraseEnv: 'LB_KEY_PASS' }),
    );
    expect(methods.map((m) => m.type)).toEqual(['publickey']);
  });

  test('wrong passphrase → SSH_AUTH, and the message never holds a passphrase', async () => {
    const loader = new SshAuthLoader({ LB_KEY_PASS: 'wrong-one' });
    const p = loader.methods(
      host({ privateKeyPath: join(dir, 'enc'), passphraseEnv: 'LB_KEY_PASS' }),
    );
    await expect(p).rejects.toMatchObject({ code: 'SSH_AUTH' });
    const message = await p.then(
      () => '',
      (e: Error) => e.message,
    );
    expect(message).not.toContain('wrong-one');
    expect(message).toContain(join(dir, 'enc'));
  });

  test('passphrase variable unset → SSH_AUTH naming the variable', async () => {
    const loader = new SshAuthLoader({});
    await expect(
      loader.methods(host({ privateKeyPath: join(dir, 'enc'), passphraseEnv: 'LB_KEY_PASS' })),
    ).rejects.toThrow(/passphrase variable LB_KEY_PASS .* is not set/);
  });

  test('missing key file → SSH_AUTH naming host and path', async () => {
    const loader = new SshAuthLoader({});
    const missing = join(dir, 'nope');
    const err = await loader.methods(host({ privateKeyPath: missing })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SSH_AUTH' });
    expect((err as Error).message).toBe(
      `lb-01 (10.0.0.11:22): private key file ${missing} cannot be read (ENOENT)`,
    );
  });

  test('agent: SSH_AUTH_SOCK only when no key file; agentSocket always', async () => {
    const env = { SSH_AUTH_SOCK: '/run/agent.sock' };
    const loader = new SshAuthLoader(env);
    expect(await loader.methods(host({}))).toEqual([
      { type: 'agent', username: 'diag', agent: '/run/agent.sock' },
    ]);
    const withKey = await loader.methods(host({ privateKeyPath: join(dir, 'plain') }));
    expect(withKey.map((m) => m.type)).toEqual(['publickey']);
    const both = await loader.methods(
      host({ privateKeyPath: join(dir, 'plain'), agentSocket: '/other.sock' }),
    );
    expect(both.map((m) => m.type)).toEqual(['publickey', 'agent']);
  });

  test('neither key nor agent → SSH_AUTH', async () => {
    await expect(new SshAuthLoader({}).methods(host({}))).rejects.toMatchObject({
      code: 'SSH_AUTH',
    });
  });
});
