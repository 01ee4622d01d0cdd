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
  it('full reports only for problems, then the table: problems first, with their occupant', () => {
    const healthy = { ...fixture('healthy'), host: 'lb-a' };
    const broken = { ...fixture('foreign-listener'), host: 'lb-b' };
    const text = formatFleetText([healthy, broken]);
    const lines = text.split('\n');
    const head = lines.indexOf('2 hosts: 1 healthy, 1 with a problem');
    expect(head).toBeGreaterThan(0);
    expect(lines.slice(0, head).join('\n')).toContain('FOREIGN-LISTENER');
    expect(lines[head + 2]).toMatch(/^HOST +VERDICT +OCCUPANT$/);
    const occupant = broken.occupant;
    expect(occupant).not.toBeNull();
    expect(lines[head + 3]).toMatch(
      new RegExp(
        `^lb-b:\\d+ +foreign-listener +${occupant?.comm ?? ''} \\(pid ${occupant?.pid ?? ''}, ${occupant?.user ?? ''}\\)$`,
      ),
    );
    expect(lines[head + 4]).toMatch(/^lb-a:\d+ +healthy +\S+ \(pid \d+/);
    expect(lines).toHaveLength(head + 5);
    expect(text.match(/FOREIGN-LISTENER/g)).toHaveLength(1);
    expect(text).not.toContain('HEALTHY');
  });
});
