import { fleetDiagnoses } from '../../../src/diagnosis/fleetDiagnoses';
import { diagnosisFixture } from '../../support/diagnosisFixture';
import type { Diagnosis } from '../../../src/domain/diagnosis';

const d = (host: string, verdict = 'healthy'): Diagnosis => ({
  ...diagnosisFixture(verdict),
  host,
  port: 80,
});

describe('fleetDiagnoses', () => {
  const chunks = [['a', 'b'], ['c', 'd'], ['e']];

  it('one diagnosis per host, in chunk order, whatever order the chunks finished in', () => {
    const results = new Map([
      [2, [d('e')]],
      [0, [d('b', 'foreign-listener'), d('a')]],
      [1, [d('c'), d('d')]],
    ]);
    const out = fleetDiagnoses({ chunks, port: 80, results, failures: new Map() });
    expect(out.map((x) => `${x.host} ${x.verdict}`)).toEqual([
      'a healthy',
      'b foreign-listener',
      'c healthy',
      'd healthy',
      'e healthy',
    ]);
  });

  it('a failed chunk: its hosts as not diagnosed (PROBE_FAILED) with the child error; no hole', () => {
    const results = new Map([
      [0, [d('a'), d('b')]],
      [2, [d('e')]],
    ]);
    const out = fleetDiagnoses({
      chunks,
      port: 8080,
      results,
      failures: new Map([[1, 'connect ECONNREFUSED 127.0.0.1:6379']]),
    });
    const lost = out.filter((x) => x.verdict === 'unreachable');
    expect(lost.map((x) => x.host)).toEqual(['c', 'd']);
    expect(lost[0]).toMatchObject({
      port: 8080,
      failure: { code: 'PROBE_FAILED', transient: false },
      findings: [{ code: 'probe-failed' }],
    });
    expect(lost[0]?.summary).toContain('failed for good: connect ECONNREFUSED');
  });

  it('a chunk without a reason, a host missing from its result, a stray host: counted once each', () => {
    const results = new Map([[0, [d('a'), d('zz')]]]);
    const out = fleetDiagnoses({ chunks, port: 80, results, failures: new Map() });
    expect(out.map((x) => x.host)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(out[1]?.summary).toContain('returned no diagnosis for it');
    expect(out[2]?.summary).toContain('failed for good: no result');
  });
});
