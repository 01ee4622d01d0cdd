import type { HaGroupConfig } from '../../../src/domain/HostConfig';
import type { SweepProbe } from '../../../src/domain/SweepProbe';
import { findVipRisks } from '../../../src/sweep/findVipRisks';

const group: HaGroupConfig = {
  name: 'edge',
  kind: 'keepalived',
  vip: '10.0.0.100',
  members: ['a', 'b'],
};
const holding = (holdsVip: boolean) =>
  ({
    ha: { group: 'edge', vip: '10.0.0.100', holdsVip, keepalivedRunning: true },
    evidence: [
      {
        probe: 'vip',
        command: 'ip -o addr show to 10.0.0.100',
        output: holdsVip ? 'inet 10.0.0.100/32' : '',
      },
    ],
  }) as unknown as SweepProbe;

const codes = (m: Map<string, { code: string }[]>) =>
  [...m].map(([h, rs]) => [h, rs.map((r) => r.code)]);

describe('findVipRisks', () => {
  it('one holder: nothing', () => {
    expect(
      codes(
        findVipRisks(
          group,
          new Map([
            ['a', holding(true)],
            ['b', holding(false)],
          ]),
        ),
      ),
    ).toEqual([]);
  });
  it('two holders: split brain on both, with both members evidence', () => {
    const m = findVipRisks(
      group,
      new Map([
        ['a', holding(true)],
        ['b', holding(true)],
      ]),
    );
    expect(codes(m)).toEqual([
      ['a', ['vip-split-brain']],
      ['b', ['vip-split-brain']],
    ]);
    expect(m.get('a')?.[0]?.evidence.map((e) => e.probe)).toEqual(['a:vip', 'b:vip']);
  });
  it('no holder: not held, but only when every member was swept', () => {
    expect(
      codes(
        findVipRisks(
          group,
          new Map([
            ['a', holding(false)],
            ['b', holding(false)],
          ]),
        ),
      ),
    ).toEqual([
      ['a', ['vip-not-held']],
      ['b', ['vip-not-held']],
    ]);
    expect(
      codes(
        findVipRisks(
          group,
          new Map([
            ['a', holding(false)],
            ['b', null],
          ]),
        ),
      ),
    ).toEqual([]);
  });
});
