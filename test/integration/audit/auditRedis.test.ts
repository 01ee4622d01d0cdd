import { readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { AuditEvent, AuditEventInput } from '../../../src/audit/AuditEvent';
import { handleAuditExport } from '../../../src/http/handleAuditExport';
import { canonicalJson, hashEvent, verifyChain } from '../../../src/audit/hashChain';
import { AUDIT_STREAM_KEY, RedisAuditLog } from '../../../src/audit/redis/RedisAuditLog';
import { verifyAuditLog } from '../../../src/audit/redis/verifyAuditLog';
import { auditCommand } from '../../../src/cli/auditCommand';
import { PortbotError } from '../../../src/domain/PortbotError';
import { captureIo } from '../../support/captureIo';
import { connectTestRedis, testRedisUrl } from '../../support/testRedis';
import { parseCsv } from './parseCsv';

// One file for every Redis-backed audit test: they share DB 10 and must not run in parallel.
const DB = 10;
const T0 = Date.parse('2026-11-21T10:00:00Z');
const env = { AUDIT_REDIS_URL: testRedisUrl(DB), REDIS_URL: 'redis://127.0.0.1:1' };
const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

let conns: Redis[] = [];
beforeAll(async () => {
  conns = await Promise.all([0, 1, 2, 3].map(() => connectTestRedis(DB)));
});
afterAll(async () => {
  await Promise.all(conns.map((c) => c.quit()));
});
beforeEach(async () => {
  await conns[0]!.flushdb();
});

const redis = () => conns[0]!;

function input(i: number, extra: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    type: i % 2 ? 'command.run' : 'alert.accepted',
    actor: i % 2 ? 'U01ABC' : 'alertmanager',
    incidentId: i % 3 ? `inc-${i}` : null,
    host: 'lb-01',
    port: 443,
    detail: { text: `/port check lb-01 443, "quoted"\nline ${i}`, i, ok: i % 2 === 0, none: null },
    ...extra,
  };
}

/** A log whose clock says T0 + step*k on the k-th call. */
function steppedLog(step: number): RedisAuditLog {
  let k = 0;
  return new RedisAuditLog(redis(), { now: () => T0 + step * k++ });
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function cli(...argv: string[]) {
  const io = captureIo(env);
  const code = await auditCommand(argv, io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

/** How an attacker with Redis write access edits history: streams have no in-place update, so
 *  copy every entry, DEL the stream and XADD them back under their old ids, one edited. */
async function rewriteEntry(seq: number, edit: (e: AuditEvent) => AuditEvent): Promise<void> {
  const entries = await redis().xrange(AUDIT_STREAM_KEY, '-', '+');
  await redis().del(AUDIT_STREAM_KEY);
  for (const [id, fields] of entries) {
    const event = JSON.parse(fields[1]!) as AuditEvent;
    const json = event.seq === seq ? canonicalJson(edit(event)) : fields[1]!;
    await redis().xadd(AUDIT_STREAM_KEY, id, 'event', json);
  }
}

describe('RedisAuditLog', () => {
  it('appends a chain and reads it back as stored', async () => {
    const log = steppedLog(1000);
    const appended = [];
    for (let i = 1; i <= 5; i += 1) appended.push(await log.append(input(i)));
    expect(appended.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(appended[0]!.at).toBe('2026-11-21T10:00:00.000Z');
    expect(appended[1]!.prevHash).toBe(appended[0]!.hash);
    expect(verifyChain(appended).ok).toBe(true);
    expect(await collect(log.read({}))).toEqual(appended);
    const ids = (await redis().xrange(AUDIT_STREAM_KEY, '-', '+')).map(([id]) => id);
    expect(ids).toEqual(appended.map((e) => `${Date.parse(e.at)}-${e.seq}`));
    expect(await log.readHead()).toEqual({ seq: 5, hash: appended[4]!.hash, ms: T0 + 4000 });
  });

  it('reads a time range: since inclusive, until exclusive', async () => {
    const log = steppedLog(60_000);
    for (let i = 1; i <= 10; i += 1) await log.append(input(i));
    const range = await collect(
      log.read({ since: new Date(T0 + 3 * 60_000), until: new Date(T0 + 7 * 60_000) }),
    );
    expect(range.map((e) => e.seq)).toEqual([4, 5, 6, 7]);
    expect(
      (await collect(log.read({ since: new Date(T0 + 9 * 60_000) }))).map((e) => e.seq),
    ).toEqual([10]);
    expect(await collect(log.read({ until: new Date(T0) }))).toEqual([]);
  });

  it('never lets time run backwards when a writer clock lags', async () => {
    const fast = new RedisAuditLog(conns[1]!, { now: () => T0 + 5000 });
    const slow = new RedisAuditLog(conns[2]!, { now: () => T0 });
    await fast.append(input(1));
    const second = await slow.append(input(2));
    expect(second.at).toBe(new Date(T0 + 5000).toISOString());
    expect((await verifyAuditLog(slow)).ok).toBe(true);
  });

  it('keeps one unbroken chain when 4 connections each append 500 events, racing', async () => {
    const logs = conns.map((c) => new RedisAuditLog(c));
    // Like 4 processes each emitting events one after another: every append races the others.
    const perWriter = await Promise.all(
      logs.map(async (log, w) => {
        const mine: AuditEvent[] = [];
        for (let i = 0; i < 500; i += 1)
          mine.push(await log.append(input(i, { actor: `U0W${w}` })));
        return mine;
      }),
    );
    const appended = perWriter.flat();
    expect(logs.reduce((n, l) => n + l.conflicts, 0)).toBeGreaterThan(0);
    expect(new Set(appended.map((e) => e.seq)).size).toBe(2000);
    const result = await verifyAuditLog(logs[0]!);
    expect(result).toMatchObject({ ok: true, count: 2000, head: { seq: 2000 } });
    const stored = await collect(logs[1]!.read({}));
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    const bySeq = new Map(appended.map((e) => [e.seq, e]));
    for (const e of stored) expect(e).toEqual(bySeq.get(e.seq));
    for (const mine of perWriter) {
      // each writer's own events keep its order within the shared chain
      expect(mine.map((e) => e.seq)).toEqual([...mine.map((e) => e.seq)].sort((a, b) => a - b));
    }
    expect(await redis().xlen(AUDIT_STREAM_KEY)).toBe(2000);
  });

  it('batches a burst of concurrent appends from 4 connections into one chain', async () => {
    const logs = conns.map((c) => new RedisAuditLog(c));
    const appended = await Promise.all(
      Array.from({ length: 2000 }, (_, i) => logs[i % 4]!.append(input(i))),
    );
    expect(new Set(appended.map((e) => e.seq)).size).toBe(2000);
    expect(await verifyAuditLog(logs[2]!)).toMatchObject({ ok: true, count: 2000 });
    // a caller's bad event fails alone, the log stays usable
    await expect(logs[0]!.append(input(1, { detail: { n: Number.NaN } }))).rejects.toThrow(
      /finite/,
    );
    await expect(logs[1]!.append(input(1, { port: 44.5 }))).rejects.toThrow(/integer/);
    expect((await logs[0]!.append(input(2))).seq).toBe(2001);
  });

  it('refuses to fork a new chain when the head key has vanished', async () => {
    const log = steppedLog(1);
    await log.append(input(1));
    await redis().del(`${AUDIT_STREAM_KEY}:head`);
    await expect(new RedisAuditLog(conns[1]!).append(input(2))).rejects.toThrow(/head missing/);
    expect(await verifyAuditLog(log)).toMatchObject({ ok: false, reason: 'head-mismatch' });
  });
});

describe('portbot audit verify', () => {
  beforeEach(async () => {
    const log = steppedLog(1000);
    for (let i = 1; i <= 8; i += 1) await log.append(input(i));
  });

  it('exits 0 with the count and head of an intact log', async () => {
    const { code, out } = await cli('verify');
    expect(code).toBe(0);
    expect(out).toMatch(/^audit log ok: 8 events, head seq 8 sha256 [0-9a-f]{64}$/);
  });

  it('says an empty log is ok', async () => {
    await redis().flushdb();
    expect(await cli('verify')).toMatchObject({ code: 0, out: 'audit log ok: empty' });
  });

  it('finds a rewritten entry (one field edited in place)', async () => {
    await rewriteEntry(5, (e) => ({ ...e, actor: 'U0EVIL' }));
    const { code, err } = await cli('verify');
    expect(code).toBe(1);
    expect(err).toMatch(
      /^audit log BROKEN at seq 5: hash-mismatch .*; 4 events before it verified$/,
    );
  });

  it('finds a rewritten entry whose hash was recomputed, at the next seq', async () => {
    await rewriteEntry(3, (e) => {
      const forged = { ...e, detail: { ...e.detail, text: 'nothing to see' } };
      return { ...forged, hash: hashEvent(forged) };
    });
    const { code, err } = await cli('verify');
    expect(code).toBe(1);
    expect(err).toMatch(/BROKEN at seq 4: prev-hash-mismatch/);
  });

  it('finds an entry deleted with XDEL in the middle and at the tail', async () => {
    const ids = (await redis().xrange(AUDIT_STREAM_KEY, '-', '+')).map(([id]) => id);
    await redis().xdel(AUDIT_STREAM_KEY, ids[5]!);
    expect((await cli('verify')).err).toMatch(
      /BROKEN at seq 6: seq-gap \(expected seq 6, found 7\)/,
    );
    await redis().xdel(AUDIT_STREAM_KEY, ids[6]!, ids[7]!);
    const tail = await cli('verify');
    expect(tail.code).toBe(1);
    expect(tail.err).toMatch(
      /BROKEN at seq 6: head-mismatch \(the head says seq 8 but the stream ends at seq 5/,
    );
  });

  it('finds a forged XADD: off the chain, or on it but under a foreign stream id', async () => {
    const [last] = await redis().xrevrange(AUDIT_STREAM_KEY, '+', '-', 'COUNT', 1);
    const prev = JSON.parse(last![1][1]!) as AuditEvent;
    const offChain = { ...prev, seq: 9, prevHash: '0'.repeat(64), actor: 'U0EVIL' };
    const forgedId = await redis().xadd(
      AUDIT_STREAM_KEY,
      '*',
      'event',
      canonicalJson({ ...offChain, hash: hashEvent(offChain) }),
    );
    expect((await cli('verify')).err).toMatch(/BROKEN at seq 9: prev-hash-mismatch/);
    await redis().xdel(AUDIT_STREAM_KEY, forgedId!);
    // chained correctly, but XADD * gave it an id whose seq part is not 9
    const onChain = { ...prev, seq: 9, prevHash: prev.hash, actor: 'U0EVIL' };
    await redis().xadd(
      AUDIT_STREAM_KEY,
      '*',
      'event',
      canonicalJson({ ...onChain, hash: hashEvent(onChain) }),
    );
    expect((await cli('verify')).err).toMatch(
      /BROKEN at seq 9: id-mismatch \(stream id \d+-0, expected/,
    );
  });

  it('refuses to write a malformed event: an actor that is not one non-empty string', async () => {
    // the 8 events of beforeEach are there
    const log = new RedisAuditLog(redis(), { now: () => T0 + 3_600_000 });
    for (const bad of [
      { actor: ['U0ALICE', 'U0BOB'] as unknown as string },
      { actor: '' },
      { actor: undefined as unknown as string },
    ]) {
      const err = await log.append(input(2, bad)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PortbotError);
      expect(err).toMatchObject({ code: 'AUDIT_INVALID' });
      expect((err as Error).message).toMatch(/refused: actor: /);
    }
    expect(await redis().xlen(AUDIT_STREAM_KEY)).toBe(8);
    expect((await log.append(input(3))).seq).toBe(9);
    expect((await cli('verify')).code).toBe(0);
  });

  it('verify and export report a malformed entry that still chains, and go on', async () => {
    // after the 8 events of beforeEach, what an older portbot wrote for a duplicated user_id:
    // chained and hashed, its actor an array
    const prev = (await collect(new RedisAuditLog(redis()).read({}))).at(-1)!;
    const ms = Date.parse(prev.at) + 1000;
    const poisoned = {
      ...input(9),
      actor: ['U0ALICE', 'U0BOB'],
      seq: 9,
      at: new Date(ms).toISOString(),
      prevHash: prev.hash,
    };
    const stored = { ...poisoned, hash: hashEvent(poisoned as unknown as AuditEvent) };
    await redis().xadd(AUDIT_STREAM_KEY, `${ms}-9`, 'event', canonicalJson(stored));
    await redis().hset(`${AUDIT_STREAM_KEY}:head`, { seq: 9, hash: stored.hash, ms });
    const later = new RedisAuditLog(redis(), { now: () => ms + 1000 });
    await later.append(input(10));
    await later.append(input(11));

    const { code, err } = await cli('verify');
    expect(code).toBe(1);
    expect(err).toMatch(new RegExp(`malformed audit entry ${ms}-9 \\(seq 9\\): actor: `));
    expect(err).toContain(
      'audit log chain intact (11 events, head seq 11) but 1 malformed entries',
    );

    const skipped: string[] = [];
    const events = await collect(later.read({}, (id) => skipped.push(id)));
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10, 11]);
    expect(skipped).toEqual([`${ms}-9`]);
    const exported = await cli('export');
    expect(exported.code).toBe(0);
    expect(exported.out.split('\n').filter(Boolean)).toHaveLength(10);
    expect(exported.err).toContain(`skipped malformed audit entry ${ms}-9`);
  });

  it('reports a malformed entry', async () => {
    await redis().xadd(AUDIT_STREAM_KEY, '*', 'event', '{"seq": "nine"}');
    const { code, err } = await cli('verify');
    expect(code).toBe(1);
    expect(err).toMatch(/BROKEN at seq 9: malformed \(entry \d+-0: seq: /);
  });
});

describe('portbot audit without a Redis named', () => {
  it('reads the Redis serve and worker would use: PORTBOT_EMBEDDED_REDIS_PORT, not 6379', async () => {
    // 6379 answers on this machine; port 1 does not, so the error proves which one was asked.
    const io = captureIo({ PORTBOT_EMBEDDED_REDIS_PORT: '1' });
    await expect(auditCommand(['verify'], io)).rejects.toThrow(
      /cannot reach the audit Redis \(REDIS_URL\):.*127\.0\.0\.1:1\b/,
    );
  });

  it('refuses a port that is not one, naming the variable', async () => {
    const io = captureIo({ PORTBOT_EMBEDDED_REDIS_PORT: '70000' });
    await expect(auditCommand(['verify'], io)).rejects.toThrow(/PORTBOT_EMBEDDED_REDIS_PORT/);
  });
});

describe('portbot audit export', () => {
  let appended: AuditEvent[] = [];
  beforeEach(async () => {
    const log = steppedLog(3_600_000);
    appended = [];
    for (let i = 1; i <= 6; i += 1) appended.push(await log.append(input(i)));
  });

  it('round-trips JSONL on stdout: every line verifies', async () => {
    const { code, out } = await cli('export');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines).toHaveLength(6);
    const events = lines.map((l) => JSON.parse(l) as AuditEvent);
    expect(events).toEqual(appended);
    expect(verifyChain(events)).toMatchObject({ ok: true, count: 6 });
  });

  it('round-trips CSV to a file (0600), escaped fields and detail JSON intact', async () => {
    const file = join(tmpdir(), `portbot-audit-${process.pid}.csv`);
    try {
      const { code, err } = await cli('export', '--format', 'csv', `--out=${file}`);
      expect(code).toBe(0);
      expect(err).toBe(`exported 6 audit events to ${file}`);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const rows = parseCsv(await readFile(file, 'utf8'));
      expect(rows[0]).toEqual([
        'seq',
        'at',
        'type',
        'actor',
        'incidentId',
        'host',
        'port',
        'detail',
        'prevHash',
        'hash',
      ]);
      const events = rows
        .slice(1)
        .map(([seq, at, type, actor, inc, host, port, detail, prevHash, hash]) => ({
          seq: Number(seq),
          at: at!,
          type: type!,
          actor: actor!,
          incidentId: inc === '' ? null : inc!,
          host: host === '' ? null : host!,
          port: port === '' ? null : Number(port),
          detail: JSON.parse(detail!) as AuditEvent['detail'],
          prevHash: prevHash!,
          hash: hash!,
        }));
      expect(events).toEqual(appended);
      expect(verifyChain(events).ok).toBe(true);
    } finally {
      await rm(file, { force: true });
    }
  });

  it('exports a time range', async () => {
    const { out } = await cli(
      'export',
      '--since',
      '2026-11-21T12:00:00Z',
      '--until',
      '2026-11-21T14:00:00Z',
    );
    expect(out.split('\n').map((l) => (JSON.parse(l) as AuditEvent).seq)).toEqual([3, 4]);
    const csv = await cli('export', '--format', 'csv', '--since', '2026-11-22T00:00:00Z');
    expect(csv.out).toBe('seq,at,type,actor,incidentId,host,port,detail,prevHash,hash');
  });

  it('refuses bad arguments with USAGE', async () => {
    for (const argv of [
      ['export', '--format', 'xml'],
      ['export', '--since'],
      ['export', '--since', 'last week'],
      ['export', '--since', '1d', '--until', '2d'],
      ['export', '--bogus'],
      ['export', '--out', '/nonexistent-dir/x.jsonl'],
      ['verify', 'extra'],
      ['frobnicate'],
      [],
    ]) {
      await expect(cli(...argv)).rejects.toMatchObject({
        name: 'PortbotError',
        code: 'USAGE',
      } satisfies Partial<PortbotError>);
    }
  });

  it('says when Redis cannot be reached', async () => {
    const io = captureIo({ REDIS_URL: 'redis://127.0.0.1:1' });
    await expect(auditCommand(['verify'], io)).rejects.toThrow(
      /cannot reach the audit Redis \(REDIS_URL\)/,
    );
  });
});

describe('GET /audit/export', () => {
  const TOKEN = 'audit-token-0123456789abcdef';
  let server: Server;
  let base: string;
  let token: string | undefined = TOKEN;

  beforeAll(async () => {
    server = createServer((req, res) => {
      void handleAuditExport(req, res, {
        audit: new RedisAuditLog(conns[3]!),
        token,
        now: () => T0 + 450 * 3_600_000,
        log: silent,
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/audit/export`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(async () => {
    token = TOKEN;
    const log = steppedLog(3_600_000);
    for (let i = 1; i <= 450; i += 1) await log.append(input(i));
  });

  const auth = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });

  it('streams JSONL with the right token, within the range', async () => {
    const res = await fetch(`${base}?since=2026-11-21T11:00:00Z`, auth(TOKEN));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const events = (await res.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEvent);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 449 }, (_, i) => i + 2));
    const full = await (await fetch(base, auth(TOKEN))).text();
    expect(
      verifyChain(
        full
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l) as AuditEvent),
      ),
    ).toMatchObject({ ok: true, count: 450 });
  });

  it('serves CSV with a header', async () => {
    const res = await fetch(`${base}?format=csv&since=1d`, auth(TOKEN));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = parseCsv(await res.text());
    expect(rows[0]![0]).toBe('seq');
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(
      Array.from({ length: 24 }, (_, i) => i + 427),
    );
  });

  it('refuses a missing or wrong token, and every token when none is configured', async () => {
    const none = await fetch(base);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetch(base, auth(`${TOKEN}x`))).status).toBe(401);
    token = undefined;
    expect((await fetch(base, auth(TOKEN))).status).toBe(401);
    expect((await fetch(base, auth(''))).status).toBe(401);
  });

  it('answers 400 for a bad query and 405 for other methods', async () => {
    const bad = await fetch(`${base}?format=xml`, auth(TOKEN));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'format "xml": expected jsonl or csv' });
    expect((await fetch(`${base}?since=soon`, auth(TOKEN))).status).toBe(400);
    expect((await fetch(base, { method: 'POST', ...auth(TOKEN) })).status).toBe(405);
  });
});
