import { parseExportOptions } from '../../../../src/audit/export/parseExportOptions';
import { parseTimeBound } from '../../../../src/audit/export/parseTimeBound';
import { PortbotError } from '../../../../src/domain/PortbotError';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const names = { since: '--since', until: '--until', format: '--format' };

describe('parseTimeBound', () => {
  it('reads durations back from now and ISO dates', () => {
    expect(parseTimeBound('7d', NOW, '--since').toISOString()).toBe('2026-11-14T12:00:00.000Z');
    expect(parseTimeBound('12h', NOW, '--since').toISOString()).toBe('2026-11-21T00:00:00.000Z');
    expect(parseTimeBound('30m', NOW, '--since').toISOString()).toBe('2026-11-21T11:30:00.000Z');
    expect(parseTimeBound('90s', NOW, '--since').toISOString()).toBe('2026-11-21T11:58:30.000Z');
    expect(parseTimeBound('2026-11-20T08:15:00Z', NOW, 'x').toISOString()).toBe(
      '2026-11-20T08:15:00.000Z',
    );
    expect(parseTimeBound('2026-11-20T08:15:00+02:00', NOW, 'x').toISOString()).toBe(
      '2026-11-20T06:15:00.000Z',
    );
  });

  it('refuses anything else with a USAGE error naming the option', () => {
    for (const bad of ['7', '7w', 'yesterday', '1', '2026-13-45T99:00:00Z', '']) {
      let caught: unknown;
      try {
        parseTimeBound(bad, NOW, '--since');
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(PortbotError);
      expect((caught as PortbotError).code).toBe('USAGE');
      expect((caught as PortbotError).message).toMatch(/^--since .*expected a duration like 7d/);
    }
  });
});

describe('parseTimeBound beyond the date range', () => {
  it('refuses a duration reaching before any representable date instead of matching nothing', () => {
    expect(() => parseTimeBound('999999999d', NOW, 'since')).toThrow(
      /^since "999999999d": too far back$/,
    );
    expect(parseTimeBound('99999999d', NOW, 'since').getTime()).toBeLessThan(0);
  });
});

describe('parseExportOptions', () => {
  it('defaults to jsonl and an open range', () => {
    expect(parseExportOptions({}, NOW, names)).toEqual({ range: {}, format: 'jsonl' });
  });

  it('checks the format and the order of the bounds', () => {
    expect(() => parseExportOptions({ format: 'xml' }, NOW, names)).toThrow(
      /--format "xml": expected jsonl or csv/,
    );
    expect(() => parseExportOptions({ since: '1d', until: '2d' }, NOW, names)).toThrow(
      /--since \(2026-11-20T12:00:00.000Z\) must be before --until/,
    );
    expect(parseExportOptions({ since: '2d', until: '1d', format: 'csv' }, NOW, names)).toEqual({
      range: { since: new Date(NOW - 2 * 86_400_000), until: new Date(NOW - 86_400_000) },
      format: 'csv',
    });
  });
});
