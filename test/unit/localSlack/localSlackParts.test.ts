import { FailurePlan } from '../../support/localSlack/FailurePlan';
import { makeTsClock } from '../../../src/localSlack/makeTsClock';
import { parseMultipartFile } from '../../../src/localSlack/parseMultipartFile';
import { decodeParams } from '../../../src/localSlack/decodeParams';

describe('makeTsClock', () => {
  it('formats Slack ts strings that increase even within one millisecond', () => {
    const tick = makeTsClock(() => 1732200000123);
    const a = tick();
    const b = tick();
    expect(a).toBe('1732200000.123000');
    expect(b).toBe('1732200000.123001');
  });
  it('never goes backwards when the wall clock does', () => {
    let now = 1732200001000;
    const tick = makeTsClock(() => now);
    const a = tick();
    now -= 5000;
    expect(Number(tick())).toBeGreaterThan(Number(a));
  });
});

describe('FailurePlan', () => {
  it('serves a failure for the next N calls of that method only, then none', () => {
    const plan = new FailurePlan();
    plan.add('chat.update', { status: 429, retryAfterSec: 3, times: 2 });
    expect(plan.take('chat.postMessage')).toBeUndefined();
    expect(plan.take('chat.update')).toEqual({ status: 429, retryAfterSec: 3, times: 2 });
    expect(plan.take('chat.update')).toBeDefined();
    expect(plan.take('chat.update')).toBeUndefined();
  });
  it("lets '*' match any method after method-specific entries", () => {
    const plan = new FailurePlan();
    plan.add('*', { error: 'internal_error' });
    plan.add('auth.test', { error: 'fatal_error' });
    expect(plan.take('auth.test')).toEqual({ error: 'fatal_error' });
    expect(plan.take('users.info')).toEqual({ error: 'internal_error' });
    expect(plan.take('users.info')).toBeUndefined();
  });
});

describe('parseMultipartFile', () => {
  it('extracts the file part from a multipart body built by fetch FormData', async () => {
    const form = new FormData();
    form.append('note', 'ignored');
    form.append('body', new Blob([Buffer.from('line1\r\nline2\n')]), 'evidence.txt');
    const req = new Request('http://x/', { method: 'POST', body: form });
    const raw = Buffer.from(await req.arrayBuffer());
    const file = parseMultipartFile(req.headers.get('content-type') ?? undefined, raw);
    expect(file.toString()).toBe('line1\r\nline2\n');
  });
  it('returns a non-multipart body unchanged', () => {
    expect(parseMultipartFile('application/octet-stream', Buffer.from('raw')).toString()).toBe(
      'raw',
    );
  });
});

describe('decodeParams', () => {
  it('merges query and form params', () => {
    const r = decodeParams(
      'application/x-www-form-urlencoded; charset=utf-8',
      Buffer.from('a=1&b=%5B%5D'),
      new URLSearchParams('q=2'),
    );
    expect(r).toEqual({ ok: true, params: { q: '2', a: '1', b: '[]' } });
  });
  it("answers Slack's codes for bad bodies", () => {
    const q = new URLSearchParams();
    expect(decodeParams('application/json', Buffer.from('{'), q)).toEqual({
      ok: false,
      error: 'invalid_json',
    });
    expect(decodeParams(undefined, Buffer.from('x'), q)).toEqual({
      ok: false,
      error: 'missing_post_type',
    });
    expect(decodeParams('text/xml', Buffer.from('x'), q)).toEqual({
      ok: false,
      error: 'invalid_post_type',
    });
  });
});
