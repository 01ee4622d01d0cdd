import { checkReadiness } from '../../../src/http/checkReadiness';

describe('checkReadiness', () => {
  it('counts a hung, throwing or false check as not ready, within the timeout', async () => {
    const started = Date.now();
    const result = await checkReadiness(
      {
        ok: () => Promise.resolve(true),
        hung: () => new Promise<boolean>(() => undefined),
        throws: () => Promise.reject(new Error('down')),
        no: () => Promise.resolve(false),
      },
      100,
    );
    const took = Date.now() - started;
    expect(result).toEqual({ ok: true, hung: false, throws: false, no: false });
    expect(took).toBeGreaterThanOrEqual(90);
    expect(took).toBeLessThan(1000);
  });
});
