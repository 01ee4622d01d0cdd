import {
  checkSignedHeaders,
  REPLAY_TTL_MS,
  replayKey,
  SIGNATURE_WINDOW_S,
} from '../../../src/ingress/signing/v0Signature';

const now = Date.UTC(2026, 11, 1, 12, 0, 0);
const ts = String(now / 1000);
const sig = `v0=${'ab'.repeat(32)}`;

describe('checkSignedHeaders', () => {
  it('accepts v0=<64 lowercase hex> and a timestamp within 5 minutes either way', () => {
    for (const skew of [-SIGNATURE_WINDOW_S, 0, SIGNATURE_WINDOW_S]) {
      expect(checkSignedHeaders(sig, String(Number(ts) + skew), now)).toMatchObject({ ok: true });
    }
  });

  it.each([`${sig}=0`, `${sig}=1`, `${sig} `, sig.toUpperCase(), `v1=${'ab'.repeat(32)}`, 'v0=ab'])(
    'refuses the signature variant %j',
    (variant) => {
      expect(checkSignedHeaders(variant, ts, now)).toEqual({
        ok: false,
        error: 'signature must be v0=<64 hex digits>',
      });
    },
  );

  it('refuses timestamps in the past or the future beyond the window, and odd ones', () => {
    for (const skew of [-301, 301, 3600, 365 * 86400]) {
      const r = checkSignedHeaders(sig, String(Number(ts) + skew), now);
      expect(r).toEqual({ ok: false, error: 'timestamp more than 300 s from now' });
    }
    for (const odd of ['', '1e9', '-1', `${ts}.0`, ' 1', '9'.repeat(13)]) {
      expect(checkSignedHeaders(sig, odd, now)).toMatchObject({ ok: false });
    }
  });

  it('keeps the window symmetric in whole seconds, whatever the milliseconds of now', () => {
    const nowS = 1_700_000_000;
    for (const ms of [0, 1, 500, 999]) {
      const at = nowS * 1000 + ms;
      for (const skew of [-300, 300]) {
        expect(checkSignedHeaders(sig, String(nowS + skew), at)).toMatchObject({ ok: true });
      }
      for (const skew of [-301, 301]) {
        expect(checkSignedHeaders(sig, String(nowS + skew), at)).toMatchObject({ ok: false });
      }
    }
  });

  it('refuses missing or repeated headers', () => {
    expect(checkSignedHeaders(undefined, ts, now)).toMatchObject({ ok: false });
    expect(checkSignedHeaders(sig, undefined, now)).toMatchObject({ ok: false });
    expect(checkSignedHeaders([sig, sig], ts, now)).toMatchObject({ ok: false });
  });
});

describe('replayKey', () => {
  it('depends on the timestamp and the body only, and the cache outlives both sides of the window', () => {
    const body = Buffer.from('a=1');
    expect(replayKey('slack', ts, body)).toBe(replayKey('slack', ts, Buffer.from('a=1')));
    expect(replayKey('slack', ts, body)).not.toBe(replayKey('slack', `${Number(ts) + 1}`, body));
    expect(replayKey('slack', ts, body)).not.toBe(replayKey('slack', ts, Buffer.from('a=2')));
    expect(REPLAY_TTL_MS).toBe(2 * SIGNATURE_WINDOW_S * 1000);
  });
});
