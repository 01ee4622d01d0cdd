import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostKeyFingerprint } from '../../../src/ssh/hostKeyFingerprint';
import { checkKnownHosts, knownHostsName } from '../../../src/ssh/matchKnownHosts';
import { parseKnownHosts } from '../../../src/ssh/parseKnownHosts';

// Captured with ssh-keyscan / ssh-keygen -H on this machine; see the sibling .cmd files.
const fixture = (name: string): string =>
  readFileSync(join(__dirname, '../../fixtures/ssh', name), 'utf8');

const plain = parseKnownHosts(fixture('keyscan-127.0.0.1-p42222.known_hosts'));
const blobOf = (type: string): Buffer => {
  const e = plain.entries.find((x) => x.keyType === type);
  if (!e) throw new Error(`no ${type} in fixture`);
  return e.keyBlob;
};

describe('parseKnownHosts on ssh-keyscan output', () => {
  test('reads the three keys with their [host]:port pattern', () => {
    expect(plain.warnings).toEqual([]);
    expect(plain.entries.map((e) => e.keyType)).toEqual([
      'ssh-rsa',
      'ecdsa-sha2-nistp256',
      'ssh-ed25519',
    ]);
    for (const e of plain.entries) {
      expect(e.hosts).toEqual({ kind: 'patterns', patterns: ['[127.0.0.1]:42222'] });
      expect(e.revoked).toBe(false);
    }
    expect(plain.entries.map((e) => e.line)).toEqual([1, 2, 3]);
  });

  test('fingerprints agree with ssh-keygen -lf', () => {
    const printed = fixture('keyscan-127.0.0.1-p42222.fingerprints')
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[1]);
    expect(plain.entries.map((e) => hostKeyFingerprint(e.keyBlob))).toEqual(printed);
  });

  test('plain entry matches only its own port', () => {
    const ed = blobOf('ssh-ed25519');
    expect(checkKnownHosts(plain, '127.0.0.1', 42222, ed)).toEqual({ status: 'ok', line: 3 });
    expect(checkKnownHosts(plain, '127.0.0.1', 22, ed)).toEqual({ status: 'unknown' });
    expect(checkKnownHosts(plain, '127.0.0.2', 42222, ed)).toEqual({ status: 'unknown' });
  });

  test('port 22 entries are bare host names', () => {
    const p22 = parseKnownHosts(fixture('keyscan-127.0.0.2-p22.known_hosts'));
    expect(p22.entries[0]?.hosts).toEqual({ kind: 'patterns', patterns: ['127.0.0.2'] });
    expect(checkKnownHosts(p22, '127.0.0.2', 22, blobOf('ssh-ed25519')).status).toBe('ok');
    expect(checkKnownHosts(p22, '127.0.0.2', 2222, blobOf('ssh-ed25519')).status).toBe('unknown');
  });
});

describe('hashed entries (ssh-keygen -H)', () => {
  test('non-22 port: HMAC over "[host]:port"', () => {
    const hashed = parseKnownHosts(fixture('keyscan-127.0.0.1-p42222.hashed.known_hosts'));
    expect(hashed.entries).toHaveLength(3);
    expect(hashed.entries.every((e) => e.hosts.kind === 'hashed')).toBe(true);
    expect(checkKnownHosts(hashed, '127.0.0.1', 42222, blobOf('ssh-ed25519')).status).toBe('ok');
    expect(checkKnownHosts(hashed, '127.0.0.1', 42223, blobOf('ssh-ed25519')).status).toBe(
      'unknown',
    );
    expect(checkKnownHosts(hashed, '127.0.0.2', 42222, blobOf('ssh-ed25519')).status).toBe(
      'unknown',
    );
  });

  test('port 22: HMAC over the bare host', () => {
    const hashed = parseKnownHosts(fixture('keyscan-127.0.0.2-p22.hashed.known_hosts'));
    expect(checkKnownHosts(hashed, '127.0.0.2', 22, blobOf('ecdsa-sha2-nistp256')).status).toBe(
      'ok',
    );
    // the rsa key was not scanned (-t ed25519,ecdsa): a different key for a known host
    const rsa = checkKnownHosts(hashed, '127.0.0.2', 22, blobOf('ssh-rsa'));
    expect(rsa.status).toBe('mismatch');
  });
});

describe('hand-edited files built from the captured lines', () => {
  const lines = fixture('keyscan-127.0.0.1-p42222.known_hosts').trim().split('\n');
  const keyPart = (i: number): string => (lines[i] ?? '').split(' ').slice(1).join(' ');
  const [rsa, ecdsa, ed] = [keyPart(0), keyPart(1), keyPart(2)];

  test('comments, blank lines, CRLF, multiple patterns, wildcards and negation', () => {
    const text = [
      '# portbot known hosts',
      '',
      `lb-01,10.0.0.11 ${ed} lb-01 key`,
      `10.0.0.*,!10.0.0.13 ${ecdsa}`,
      `[10.0.0.2?]:2222 ${rsa}`,
    ].join('\r\n');
    const parsed = parseKnownHosts(text);
    expect(parsed.warnings).toEqual([]);
    expect(checkKnownHosts(parsed, '10.0.0.11', 22, blobOf('ssh-ed25519')).status).toBe('ok');
    expect(checkKnownHosts(parsed, 'LB-01', 22, blobOf('ssh-ed25519')).status).toBe('ok');
    expect(checkKnownHosts(parsed, '10.0.0.12', 22, blobOf('ecdsa-sha2-nistp256')).status).toBe(
      'ok',
    );
    expect(checkKnownHosts(parsed, '10.0.0.13', 22, blobOf('ecdsa-sha2-nistp256')).status).toBe(
      'unknown',
    );
    expect(checkKnownHosts(parsed, '10.0.0.25', 2222, blobOf('ssh-rsa')).status).toBe('ok');
    expect(checkKnownHosts(parsed, '10.0.0.25', 22, blobOf('ssh-rsa')).status).toBe('mismatch');
  });

  test('several keys for one host: any match is accepted, a stranger lists them all', () => {
    const parsed = parseKnownHosts(`10.0.0.11 ${rsa}\n10.0.0.11 ${ecdsa}\n`);
    expect(checkKnownHosts(parsed, '10.0.0.11', 22, blobOf('ecdsa-sha2-nistp256'))).toEqual({
      status: 'ok',
      line: 2,
    });
    const v = checkKnownHosts(parsed, '10.0.0.11', 22, blobOf('ssh-ed25519'));
    expect(v.status === 'mismatch' ? v.expected.map((e) => e.line) : []).toEqual([1, 2]);
  });

  test('@revoked refuses the key even when another line trusts it', () => {
    const parsed = parseKnownHosts(`10.0.0.11 ${ed}\n@revoked * ${ed}\n10.0.0.11 ${rsa}\n`);
    expect(parsed.entries[1]?.revoked).toBe(true);
    expect(checkKnownHosts(parsed, '10.0.0.11', 22, blobOf('ssh-ed25519'))).toEqual({
      status: 'revoked',
      line: 2,
    });
    expect(checkKnownHosts(parsed, '10.0.0.11', 22, blobOf('ssh-rsa')).status).toBe('ok');
  });

  test('@cert-authority and malformed lines are skipped with a warning', () => {
    const parsed = parseKnownHosts(
      [
        `@cert-authority *.example.com ${ed}`,
        '10.0.0.11 ssh-ed25519',
        `10.0.0.11 ssh-rsa ${ed.split(' ')[1] ?? ''}`,
        '|1|bm90LWJhc2U2NA|xx ssh-ed25519 AAAA',
        `10.0.0.12 ${ed}`,
      ].join('\n'),
    );
    expect(parsed.entries.map((e) => e.line)).toEqual([5]);
    expect(parsed.warnings).toHaveLength(4);
    expect(parsed.warnings[0]).toMatch(/line 1: @cert-authority is not supported/);
    expect(parsed.warnings[2]).toMatch(/line 3: malformed/);
  });

  test('knownHostsName follows OpenSSH', () => {
    expect(knownHostsName('10.0.0.11', 22)).toBe('10.0.0.11');
    expect(knownHostsName('LB-01.example', 2222)).toBe('[lb-01.example]:2222');
    expect(knownHostsName('::1', 2222)).toBe('[::1]:2222');
  });
});
