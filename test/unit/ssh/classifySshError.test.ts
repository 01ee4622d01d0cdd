import type { HostConfig } from '../../../src/domain/HostConfig';
import { PortbotError } from '../../../src/domain/PortbotError';
import { classifySshError } from '../../../src/ssh/classifySshError';

const host: HostConfig = {
  name: 'lb-01',
  address: '10.0.0.11',
  port: 2222,
  user: 'diag',
  sudo: false,
  connectTimeoutMs: 1500,
  commandTimeoutMs: 10000,
  labels: {},
};

const sysErr = (code: string): Error =>
  Object.assign(new Error(`connect ${code} 10.0.0.11:2222`), { code });
const levelErr = (message: string, level: string): Error =>
  Object.assign(new Error(message), { level });

describe('classifySshError', () => {
  test.each([
    ['ECONNREFUSED', 'SSH_REFUSED'],
    ['ETIMEDOUT', 'SSH_TIMEOUT'],
    ['EHOSTUNREACH', 'SSH_TIMEOUT'],
    ['ENETUNREACH', 'SSH_TIMEOUT'],
    ['ENOTFOUND', 'SSH_ERROR'],
    ['ECONNRESET', 'SSH_ERROR'],
  ])('%s → %s', (errno, code) => {
    const err = classifySshError(host, sysErr(errno));
    expect(err.code).toBe(code);
    expect(err.message.startsWith('lb-01 (10.0.0.11:2222): ')).toBe(true);
  });

  test('ssh2 handshake timeout', () => {
    const err = classifySshError(
      host,
      levelErr('Timed out while waiting for handshake', 'client-timeout'),
    );
    expect(err.code).toBe('SSH_TIMEOUT');
    expect(err.message).toContain('1500 ms');
  });

  test('ssh2 auth failure names the user', () => {
    const err = classifySshError(
      host,
      levelErr('All configured authentication methods failed', 'client-authentication'),
    );
    expect(err.code).toBe('SSH_AUTH');
    expect(err.message).toContain('user diag');
  });

  test('anything else is SSH_ERROR on one line', () => {
    const err = classifySshError(host, new Error('Handshake failed:\n no matching cipher'));
    expect(err.code).toBe('SSH_ERROR');
    expect(err.message).toBe('lb-01 (10.0.0.11:2222): Handshake failed: no matching cipher');
  });

  test('a PortbotError (e.g. from the host key verifier) passes through', () => {
    const original = new PortbotError('HOST_KEY_MISMATCH', 'x');
    expect(classifySshError(host, original)).toBe(original);
  });
});
