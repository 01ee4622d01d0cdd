import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostConfig } from '../../../src/domain/HostConfig';
import { SshPool } from '../../../src/ssh/SshPool';
import { startTestSshd, type TestSshd } from '../../support/sshd/startTestSshd';

let sshd: TestSshd;
beforeAll(async () => {
  sshd = await startTestSshd({ cleanHome: true });
});
afterAll(async () => {
  await sshd.stop();
});

/** Runs one exec on a fresh pool; returns stdout or the error's code and message. */
async function attempt(host: HostConfig, warnings: string[] = []): Promise<string> {
  const pool = new SshPool({ onWarning: (w) => warnings.push(w) });
  try {
    return (await pool.exec(host, 'echo ok')).stdout.trim();
  } catch (err) {
    const e = err as { code: string; message: string };
    return `${e.code}: ${e.message}`;
  } finally {
    await pool.close();
  }
}

const unpinned = (over: Partial<HostConfig>): HostConfig => {
  const h = sshd.host(over);
  delete (h as { knownHostsPath?: string }).knownHostsPath;
  return { ...h, ...over };
};

test('known_hosts with the scanned key: accepted', async () => {
  expect(await attempt(sshd.host())).toBe('ok');
});

test('host not in known_hosts → HOST_KEY_UNKNOWN, and no login happens', async () => {
  const other = sshd.writeKnownHosts('kh-other', [
    `[127.0.0.1]:1 ${sshd.knownHostsLine().split(' ').slice(1).join(' ')}`,
  ]);
  const before = sshd.acceptedLogins();
  const out = await attempt(sshd.host({ knownHostsPath: other }));
  expect(out).toBe(
    `HOST_KEY_UNKNOWN: test-sshd: host key for 127.0.0.1:${sshd.port} is not in ${other}; add it with ssh-keyscan after checking its fingerprint (presented ${sshd.fingerprint()})`,
  );
  expect(sshd.acceptedLogins()).toBe(before);
});

test('hashed known_hosts (ssh-keygen -H) is accepted; @cert-authority lines are reported', async () => {
  const path = sshd.writeKnownHosts('kh-hashed', [
    '# hashed below',
    `@cert-authority *.example ${sshd.knownHostsLine().split(' ').slice(1).join(' ')}`,
    sshd.knownHostsLine(),
  ]);
  execFileSync('ssh-keygen', ['-q', '-H', '-f', path], { stdio: 'ignore' });
  expect(execFileSync('cat', [path], { encoding: 'utf8' })).toMatch(/^\|1\|/m);
  const warnings: string[] = [];
  expect(await attempt(sshd.host({ knownHostsPath: path }), warnings)).toBe('ok');
  expect(warnings).toEqual([
    `${path} line 2: @cert-authority is not supported by portbot; line ignored`,
  ]);
});

test('SHA256 pin accepted; a wrong pin refused naming both fingerprints', async () => {
  expect(await attempt(unpinned({ hostKey: sshd.fingerprint() }))).toBe('ok');
  const wrong = 'SHA256:24VQrwcwIwz3dUN/RXyXkZ9hHG8zJoQjA+NeEJLHuZg';
  const out = await attempt(unpinned({ hostKey: wrong }));
  expect(out).toMatch(/^HOST_KEY_MISMATCH: /);
  expect(out).toContain(`presented ${sshd.fingerprint()}`);
  expect(out).toContain(`expected ${wrong}`);
});

test('the pin wins over a known_hosts file that would refuse', async () => {
  const empty = sshd.writeKnownHosts('kh-empty', ['# nothing']);
  expect(await attempt(sshd.host({ knownHostsPath: empty, hostKey: sshd.fingerprint() }))).toBe(
    'ok',
  );
});

test('neither hostKey nor knownHostsPath → refused without connecting', async () => {
  const before = sshd.acceptedLogins();
  expect(await attempt(unpinned({}))).toMatch(
    /^HOST_KEY_UNKNOWN: .*neither hostKey nor knownHostsPath/,
  );
  expect(sshd.acceptedLogins()).toBe(before);
});

test('@revoked key is refused', async () => {
  const path = sshd.writeKnownHosts('kh-revoked', [
    sshd.knownHostsLine(),
    `@revoked * ${sshd.knownHostsLine().split(' ').slice(1).join(' ')}`,
  ]);
  expect(await attempt(sshd.host({ knownHostsPath: path }))).toMatch(
    /^HOST_KEY_MISMATCH: .* is marked @revoked in .* line 2$/,
  );
});

test('changed host key (sshd restarted with another key) → HOST_KEY_MISMATCH naming both', async () => {
  const host = sshd.host(); // known_hosts written with the first key
  const oldFp = sshd.fingerprint();
  const keep = join(sshd.dir, 'kh-before-rotation');
  copyFileSync(host.knownHostsPath ?? '', keep);
  await sshd.restart({ rotateHostKey: true });
  const newFp = sshd.fingerprint();
  expect(newFp).not.toBe(oldFp);
  const out = await attempt(sshd.host({ knownHostsPath: keep }));
  expect(out).toMatch(/^HOST_KEY_MISMATCH: test-sshd \(127\.0\.0\.1:\d+\): host key mismatch/);
  expect(out).toContain(`presented ${newFp}`);
  expect(out).toContain(`expected ${oldFp} (ssh-ed25519, line 1)`);
  expect(out).not.toContain('\n');
});
