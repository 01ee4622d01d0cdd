import { repeatThrottle } from '../../../src/observability/repeatThrottle';

describe('repeatThrottle', () => {
  let t = 0;
  const now = () => t;

  beforeEach(() => {
    t = 0;
  });

  it('logs the first of a kind, counts repeats within the window, and reports them on the next line', () => {
    const seen = repeatThrottle(10_000, now);
    expect(seen('redis down')).toEqual({ log: true, suppressed: 0 });
    t = 1_000;
    expect(seen('redis down')).toEqual({ log: false, suppressed: 1 });
    t = 9_999;
    expect(seen('redis down')).toEqual({ log: false, suppressed: 2 });
    t = 10_000;
    expect(seen('redis down')).toEqual({ log: true, suppressed: 2 });
    t = 10_001;
    expect(seen('redis down')).toEqual({ log: false, suppressed: 1 });
  });

  it('keeps kinds apart: another failure is logged at once', () => {
    const seen = repeatThrottle(10_000, now);
    expect(seen('a').log).toBe(true);
    expect(seen('b').log).toBe(true);
    expect(seen('a').log).toBe(false);
  });

  it('does not grow without bound on endless distinct kinds, and still logs each new one', () => {
    const seen = repeatThrottle(10_000, now);
    for (let i = 0; i < 10_000; i += 1) expect(seen(`kind ${i}`).log).toBe(true);
    // memory started over: an old kind counts as new rather than being held for ever
    expect(seen('kind 0').log).toBe(true);
  });
});
