import { execFileSync } from 'node:child_process';
import type * as NodeCrypto from 'node:crypto';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { verifyBearer } from '../../../src/http/verifyBearer';
import { verifyHmac } from '../../../src/http/verifyHmac';

jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof NodeCrypto>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

const TOKEN = 'portbot-test-token';

describe('verifyBearer', () => {
  it.each<[string, string | undefined, string, boolean]>([
    // the exact header Alertmanager 0.25 sent (see test/fixtures/alerts/*.source.md)
    ['Alertmanager header', 'Bearer portbot-test-token', TOKEN, true],
    ['scheme is case-insensitive', 'bearer portbot-test-token', TOKEN, true],
    ['surrounding spaces', '  Bearer   portbot-test-token  ', TOKEN, true],
    ['wrong token', 'Bearer portbot-test-tokeN', TOKEN, false],
    ['prefix of the token', 'Bearer portbot-test', TOKEN, false],
    ['token plus extra', 'Bearer portbot-test-token2', TOKEN, false],
    ['token only, no scheme', 'portbot-test-token', TOKEN, false],
    ['basic auth', 'Basic cG9ydGJvdDp0ZXN0', TOKEN, false],
    ['two tokens', 'Bearer portbot-test-token portbot-test-token', TOKEN, false],
    ['empty header', '', TOKEN, false],
    ['missing header', undefined, TOKEN, false],
    ['empty bearer', 'Bearer ', TOKEN, false],
    ['no token configured refuses all', 'Bearer ', '', false],
    ['no token configured refuses even an empty-looking match', 'Bearer x', '', false],
    ['newline in header', 'Bearer portbot-test-token\nX: y', TOKEN, false],
  ])('%s', (_name, header, expected, want) => {
    expect(verifyBearer(header, expected)).toBe(want);
  });

  it('never throws on odd input', () => {
    const odd: unknown[] = [
      null,
      42,
      {},
      [],
      Buffer.from('Bearer x'),
      'Bearer \u0000',
      'Bearer ' + 'x'.repeat(100_000),
    ];
    for (const value of odd) {
      expect(() => verifyBearer(value as string, TOKEN)).not.toThrow();
      expect(verifyBearer(value as string, TOKEN)).toBe(false);
    }
    expect(verifyBearer('Bearer x', null as unknown as string)).toBe(false);
  });

  it('compares with crypto.timingSafeEqual on equal-length digests', () => {
    const spy = jest.mocked(timingSafeEqual);
    spy.mockClear();
    verifyBearer('Bearer short', 'a-much-longer-expected-token');
    expect(spy).toHaveBeenCalledTimes(1);
    const [a, b] = spy.mock.calls[0] ?? [];
    expect((a as Buffer).length).toBe(32);
    expect((b as Buffer).length).toBe(32);
  });
});

describe('verifyHmac', () => {
  const secret = 'hmac-secret';
  const body = Buffer.from('{"host":"lb-01","port":443,"status":"firing","summary":"TLS down"}');
  const hex = createHmac('sha256', secret).update(body).digest('hex');

  it.each<[string, string | undefined, boolean]>([
    ['bare hex', hex, true],
    ['sha256= prefix', `sha256=${hex}`, true],
    ['upper-case hex', hex.toUpperCase(), true],
    ['upper-case prefix', `SHA256=${hex}`, true],
    ['surrounding whitespace', ` ${hex} `, true],
    ['one nibble off', hex.slice(0, -1) + (hex.endsWith('0') ? '1' : '0'), false],
    ['truncated', hex.slice(0, 63), false],
    ['too long', hex + '0', false],
    ['not hex', 'z'.repeat(64), false],
    ['other algorithm prefix', `sha1=${hex}`, false],
    ['base64 of the digest', Buffer.from(hex, 'hex').toString('base64'), false],
    ['empty', '', false],
    ['missing', undefined, false],
  ])('%s', (_name, header, want) => {
    expect(verifyHmac(body, header, secret)).toBe(want);
  });

  it('accepts the signature a sender computes with openssl', () => {
    // what a shell script would send: openssl dgst -sha256 -hmac SECRET < body
    const out = execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret], { input: body });
    const fromOpenssl = out.toString().trim().split('= ')[1] ?? '';
    expect(fromOpenssl).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyHmac(body, `sha256=${fromOpenssl}`, secret)).toBe(true);
  });

  it('is bound to the exact body bytes and the secret', () => {
    expect(verifyHmac(Buffer.concat([body, Buffer.from(' ')]), hex, secret)).toBe(false);
    expect(verifyHmac(body, hex, 'other-secret')).toBe(false);
    expect(verifyHmac(body, hex, '')).toBe(false);
  });

  it('accepts a Uint8Array body and never throws on odd input', () => {
    expect(verifyHmac(new Uint8Array(body), hex, secret)).toBe(true);
    const odd: unknown[] = [null, undefined, 'text', 42, {}];
    for (const value of odd) {
      expect(verifyHmac(value as Buffer, hex, secret)).toBe(false);
    }
    expect(verifyHmac(body, 42 as unknown as string, secret)).toBe(false);
    expect(verifyHmac(body, hex, undefined as unknown as string)).toBe(false);
  });
});
