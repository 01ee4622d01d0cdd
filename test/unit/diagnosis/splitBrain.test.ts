import { withSplitBrain } from '../../../src/diagnosis/splitBrain';
import type { Diagnosis } from '../../../src/domain/diagnosis';
import { diagnosisFixture } from '../../support/diagnosisFixture';
import { haGroup } from '../../support/factories/diagnoseInput';

function member(host: string, holdsVip: boolean): Diagnosis {
  const d = diagnosisFixture('healthy');
  return {
    ...d,
    host,
    ha: { group: 'edge', role: holdsVip ? 'MASTER' : 'BACKUP', vip: '10.0.0.100', holdsVip },
    findings: [],
  };
}

const codes = (d: Diagnosis | undefined) => d?.findings.map((f) => f.code) ?? [];

describe('withSplitBrain', () => {
  const edge = haGroup();

  it('both members diagnosed holding the VIP: both get vip-split-brain', () => {
    const out = withSplitBrain([member('lb-01', true), member('lb-02', true)], [edge], []);
    expect(out.map(codes)).toEqual([['vip-split-brain'], ['vip-split-brain']]);
    expect(out[0]?.findings[0]?.detail).toMatch(
      /^VIP 10\.0\.0\.100 of group edge is on lb-01 and lb-02 at once \(split brain\)/,
    );
  });

  it('a peer that could not be asked is named, not silently left out', () => {
    const unchecked = [
      { host: 'lb-02', group: 'edge', reason: 'HOST_KEY_MISMATCH: lb-02: host key changed' },
    ];
    const [d] = withSplitBrain([member('lb-01', true)], [edge], [], unchecked);
    expect(codes(d)).toEqual(['vip-peer-unchecked']);
    expect(d?.findings[0]?.detail).toBe(
      'split brain not checked against lb-02 (group edge): HOST_KEY_MISMATCH: lb-02: host key changed',
    );
  });

  it('one member diagnosed, the peer seen by a VIP probe', () => {
    const peer = { host: 'lb-02', holdsVip: true, source: 'vip probe' as const };
    expect(codes(withSplitBrain([member('lb-01', true)], [edge], [peer])[0])).toEqual([
      'vip-split-brain',
    ]);
    const backup = { ...peer, holdsVip: false };
    expect(codes(withSplitBrain([member('lb-01', true)], [edge], [backup])[0])).toEqual([]);
  });

  it('an unreachable member or one whose VIP check failed does not count', () => {
    const unreachable = { ...diagnosisFixture('unreachable'), host: 'lb-02' };
    expect(codes(withSplitBrain([member('lb-01', true), unreachable], [edge], [])[0])).toEqual([]);
    const failed = {
      ...member('lb-02', true),
      findings: [{ code: 'vip-check-failed', detail: 'ip: not found' }],
    };
    expect(codes(withSplitBrain([member('lb-01', true), failed], [edge], [])[0])).toEqual([]);
  });

  it('a host of another group is untouched', () => {
    const other = { ...member('lb-09', true), ha: null };
    const out = withSplitBrain([member('lb-01', true), member('lb-02', true), other], [edge], []);
    expect(codes(out[2])).toEqual([]);
  });
});
