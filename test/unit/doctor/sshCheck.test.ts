import { sshCheck } from '../../../src/doctor/sshCheck';

const host = {
  name: 'lb-01',
  address: '10.77.0.11',
  port: 22,
  user: 'portbot',
  knownHostsPath: '/etc/portbot/known_hosts',
};

describe('sshCheck', () => {
  it('ok: the login, the verified fingerprint and where it was verified against', () => {
    const c = sshCheck(host, { ok: true, fingerprint: 'SHA256:abc', exitCode: 0, durationMs: 12 });
    expect(c).toMatchObject({ check: 'ssh', target: 'lb-01', status: 'ok', fix: null });
    expect(c.detail).toBe(
      'portbot@10.77.0.11:22: host key SHA256:abc matches known_hosts; `true` ran in 12 ms',
    );
    expect(
      sshCheck(
        { ...host, hostKey: 'SHA256:abc' },
        { ok: true, fingerprint: 'SHA256:abc', exitCode: 0, durationMs: 1 },
      ).detail,
    ).toContain('hostKey pin');
  });

  it('a login that cannot run `true` fails', () => {
    const c = sshCheck(host, { ok: true, fingerprint: 'SHA256:abc', exitCode: 1, durationMs: 5 });
    expect(c.status).toBe('fail');
    expect(c.detail).toContain('`true` exited 1');
  });

  it.each([
    ['HOST_KEY_MISMATCH', 'ssh-keygen -R 10.77.0.11 -f /etc/portbot/known_hosts'],
    ['HOST_KEY_UNKNOWN', 'ssh-keyscan -p 22 10.77.0.11'],
    ['SSH_TIMEOUT', 'reachable from here'],
    ['SSH_REFUSED', 'start sshd'],
    ['SSH_AUTH', '~portbot/.ssh/authorized_keys'],
    ['SSH_ERROR', 'ssh -p 22 portbot@10.77.0.11 true'],
  ])('%s: the message as classified, and what to do', (code, fix) => {
    const c = sshCheck(host, { ok: false, code, message: `lb-01 (10.77.0.11:22): ${code}` });
    expect(c).toMatchObject({ status: 'fail', detail: `lb-01 (10.77.0.11:22): ${code}` });
    expect(c.fix).toContain(fix);
  });

  it('a mismatch on a pinned host points at the pin, not known_hosts', () => {
    const c = sshCheck(
      { ...host, hostKey: 'SHA256:old' },
      { ok: false, code: 'HOST_KEY_MISMATCH', message: 'mismatch' },
    );
    expect(c.fix).toContain('hostKey pin');
  });
});
