import type { AuditEvent } from '../../../src/audit/AuditEvent';
import { canonicalJson, GENESIS_HASH, hashEvent, verifyChain } from '../../../src/audit/hashChain';

function chain(n: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const unsigned = {
      seq,
      at: new Date(Date.UTC(2026, 10, 21, 10, 0, seq)).toISOString(),
      type: seq % 2 ? 'command.run' : 'alert.accepted',
      actor: seq % 2 ? 'U01ABC' : 'alertmanager',
      incidentId: seq % 3 ? `inc-${seq}` : null,
      host: 'lb-01',
      port: 443,
      detail: { text: `/port check lb-01 443 #${seq}`, ok: true, n: seq },
      prevHash,
    };
    const event = { ...unsigned, hash: hashEvent(unsigned) };
    events.push(event);
    prevHash = event.hash;
  }
  return events;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth, so key order does not change the hash', () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: 'x' } })).toBe('{"a":{"c":"x","d":null},"b":1}');
    const [e] = chain(1);
    const reordered = Object.fromEntries(Object.entries(e!).reverse()) as unknown as AuditEvent;
    expect(JSON.stringify(reordered).startsWith('{"hash"')).toBe(true);
    expect(hashEvent(reordered)).toBe(e!.hash);
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/finite/);
    expect(() => canonicalJson({ n: Infinity })).toThrow(/finite/);
  });
});

describe('hashEvent', () => {
  it('is the sha256 of the event without its hash, prevHash included', () => {
    const [e] = chain(1);
    expect(e!.prevHash).toBe(GENESIS_HASH);
    expect(e!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEvent({ ...e!, hash: 'whatever' })).toBe(e!.hash);
    expect(hashEvent({ ...e!, prevHash: '1'.repeat(64) })).not.toBe(e!.hash);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and reports its head', () => {
    const events = chain(20);
    expect(verifyChain(events)).toEqual({
      ok: true,
      count: 20,
      head: { seq: 20, hash: events[19]!.hash },
    });
    expect(verifyChain([])).toEqual({ ok: true, count: 0, head: { seq: 0, hash: GENESIS_HASH } });
  });

  it('finds a tampered field at that event (hash mismatch)', () => {
    const events = chain(10);
    events[6] = { ...events[6]!, detail: { ...events[6]!.detail, text: '/port check lb-02 443' } };
    expect(verifyChain(events)).toMatchObject({
      ok: false,
      seq: 7,
      reason: 'hash-mismatch',
      count: 6,
    });
    const portChanged = chain(10);
    portChanged[2] = { ...portChanged[2]!, port: 80 };
    expect(verifyChain(portChanged)).toMatchObject({ ok: false, seq: 3, reason: 'hash-mismatch' });
  });

  it('finds a tampered event whose hash was recomputed at the next one (prevHash mismatch)', () => {
    const events = chain(10);
    const forged = { ...events[4]!, actor: 'U0EVIL' };
    events[4] = { ...forged, hash: hashEvent(forged) };
    expect(verifyChain(events)).toMatchObject({ ok: false, seq: 6, reason: 'prev-hash-mismatch' });
  });

  it('finds a deleted event at the missing seq', () => {
    const events = chain(10);
    events.splice(3, 1);
    expect(verifyChain(events)).toMatchObject({
      ok: false,
      seq: 4,
      reason: 'seq-gap',
      detail: 'expected seq 4, found 5',
    });
    expect(verifyChain(chain(5).slice(1))).toMatchObject({ ok: false, seq: 1, reason: 'seq-gap' });
  });

  it('finds two swapped events at the first of them', () => {
    const events = chain(10);
    [events[7], events[8]] = [events[8]!, events[7]!];
    expect(verifyChain(events)).toMatchObject({ ok: false, seq: 8, reason: 'seq-gap', count: 7 });
  });

  it('catches renumbering after a deletion, since seq is hashed', () => {
    const events = chain(6);
    events.splice(2, 1);
    for (const e of events.slice(2)) e.seq -= 1;
    expect(verifyChain(events)).toMatchObject({ ok: false, seq: 3, reason: 'prev-hash-mismatch' });
  });

  it('rejects a chain that does not start from genesis', () => {
    const events = chain(3);
    events[0] = { ...events[0]!, prevHash: 'f'.repeat(64) };
    expect(verifyChain(events)).toMatchObject({ ok: false, seq: 1, reason: 'prev-hash-mismatch' });
  });
});
