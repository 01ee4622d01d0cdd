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
  const now = Date.UTC(2026, 11, 1, 12, 0, 0);
  const ts = String(now / 1000);
  const sign = (t: string, b: Uint8Array = body, s: string = secret) =>
    createHmac('sha256', s).update(`v0:${t}:`).update(b).digest('hex');
  const hex = sign(ts);
  const check = (
    signature: string | undefined,
    timestamp: string | undefined = ts,
    b: Uint8Array = body,
  ) => verifyHmac(b, { signature, timestamp }, secret, now) !== null;

  it.each<[string, string | undefined, boolean]>([
    ['v0= prefix', `v0=${hex}`, true],
    ['bare hex', hex, false],
    ['sha256= prefix', `sha256=${hex}`, false],
    ['upper-case hex', `v0=${hex.toUpperCase()}`, false],
    ['trailing junk', `v0=${hex}=0`, false],
    ['surrounding whitespace', ` v0=${hex} `, false],
    ['one nibble off', `v0=${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`, false],
    ['truncated', `v0=${hex.slice(0, 63)}`, false],
    ['base64 of the digest', `v0=${Buffer.from(hex, 'hex').toString('base64')}`, false],
    ['empty', '', false],
    ['missing', undefined, false],
  ])('%s', (_name, header, want) => {
    expect(check(header)).toBe(want);
  });

  it('signs the timestamp: another timestamp, or one outside 5 minutes either way, is refused', () => {
    expect(check(`v0=${hex}`, String(Number(ts) + 1))).toBe(false);
    for (const skew of [-301, 301, 3600, 365 * 86400]) {
      const t = String(Number(ts) + skew);
      expect(check(`v0=${sign(t)}`, t)).toBe(false);
    }
    for (const skew of [-300, 300]) {
      const t = String(Number(ts) + skew);
      expect(check(`v0=${sign(t)}`, t)).toBe(true);
    }
    expect(
      verifyHmac(body, { signature: `v0=${hex}`, timestamp: undefined }, secret, now),
    ).toBeNull();
    expect(check(`v0=${hex}`, `${ts}.5`)).toBe(false);
  });

  it('accepts the signature a sender computes with openssl', () => {
    // what the README tells a shell script to send
    const out = execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret], {
      input: Buffer.concat([Buffer.from(`v0:${ts}:`), body]),
    });
    const fromOpenssl = out.toString().trim().split('= ')[1] ?? '';
    expect(fromOpenssl).toMatch(/^[0-9a-f]{64}$/);
    expect(check(`v0=${fromOpenssl}`)).toBe(true);
  });

  it('is bound to the exact body bytes and the secret, and names a replay key per body', () => {
    expect(check(`v0=${hex}`, ts, Buffer.concat([body, Buffer.from(' ')]))).toBe(false);
    expect(verifyHmac(body, { signature: `v0=${hex}`, timestamp: ts }, 'other', now)).toBeNull();
    expect(verifyHmac(body, { signature: `v0=${hex}`, timestamp: ts }, '', now)).toBeNull();
    const other = Buffer.from('{"status":"resolved"}');
    const a = verifyHmac(body, { signature: `v0=${hex}`, timestamp: ts }, secret, now);
    const b = verifyHmac(other, { signature: `v0=${sign(ts, other)}`, timestamp: ts }, secret, now);
    expect(a?.replayKey).toMatch(new RegExp(`^alert:${ts}:[0-9a-f]{64}$`));
    expect(b?.replayKey).toMatch(/^alert:/);
    expect(a?.replayKey).not.toBe(b?.replayKey);
  });

  it('accepts a Uint8Array body and never throws on odd input', () => {
    expect(check(`v0=${hex}`, ts, new Uint8Array(body))).toBe(true);
    const odd: unknown[] = [null, undefined, 'text', 42, {}];
    for (const value of odd) {
      const signed = { signature: `v0=${hex}`, timestamp: ts };
      expect(verifyHmac(value as Uint8Array, signed, secret, now)).toBeNull();
    }
    expect(check(42 as unknown as string)).toBe(false);
    expect(check(['a', 'b'] as unknown as string)).toBe(false);
    expect(
      verifyHmac(
        body,
        { signature: `v0=${hex}`, timestamp: ts },
        undefined as unknown as string,
        now,
      ),
    ).toBeNull();
  });
});
