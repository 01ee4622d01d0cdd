import { formatDiagnosisText } from '../../../../src/render/formatDiagnosisText';
import { formatDuration } from '../../../../src/render/formatDuration';
import { formatFleetText } from '../../../../src/render/formatFleetText';
import { diagnosisFixture } from '../../../support/diagnosisFixture';

const fixture = diagnosisFixture;

describe('formatDiagnosisText', () => {
  it('leads with host:port and verdict, then who, why, what to do and evidence', () => {
    const d = fixture('foreign-listener');
    const text = formatDiagnosisText(d);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`${d.host}:${d.port}  FOREIGN-LISTENER  (${d.durationMs} ms)`);
    expect(lines[1]).toBe(`  ${d.summary}`);
    expect(text).toContain(`Holder    ${d.occupant?.comm} (pid ${d.occupant?.pid}`);
    expect(text.indexOf('What to do')).toBeLessThan(text.indexOf('Evidence'));
    for (const a of d.actions) expect(text).toContain(`[${a.risk}] ${a.title}`);
    for (const e of d.evidence) expect(text).toContain(`$ ${e.command}`);
  });

  it('says there is nothing to do for a healthy port and shows no holder for unreachable', () => {
    expect(formatDiagnosisText(fixture('healthy'))).toContain('  - nothing to do');
    const unreachable = formatDiagnosisText(fixture('unreachable'));
    expect(unreachable).not.toContain('Holder');
    expect(unreachable).toMatch(/UNREACHABLE/);
  });

  it('cuts long evidence and points at --json', () => {
    const d = fixture('foreign-listener');
    d.evidence = [
      {
        probe: 'log',
        command: 'tail log',
        output: Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n'),
      },
    ];
    const text = formatDiagnosisText(d);
    expect(text).toContain('line 11');
    expect(text).not.toContain('line 12\n');
    expect(text).toContain('… 28 more lines (--json has all)');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [999, '1s'],
    [723_000, '12m 3s'],
    [3_600_000, '1h'],
    [90_061_000, '1d 1h'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatFleetText', () => {
  it('one line per host, problems first, then full reports only for problems', () => {
    const healthy = { ...fixture('healthy'), host: 'lb-a' };
    const broken = { ...fixture('foreign-listener'), host: 'lb-b' };
    const text = formatFleetText([healthy, broken]);
    const lines = text.split('\n');
    expect(lines[0]).toBe('2 hosts: 1 healthy, 1 with a problem');
    expect(lines[2]).toMatch(/^lb-b:\d+ +foreign-listener +port/);
    expect(lines[3]).toMatch(/^lb-a:\d+ +healthy/);
    expect(text.match(/FOREIGN-LISTENER/g)).toHaveLength(1);
    expect(text).not.toContain('HEALTHY');
  });
});
