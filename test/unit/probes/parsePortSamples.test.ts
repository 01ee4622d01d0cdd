import { parsePortSamples } from '../../../src/probes/parsers/parsePortSamples';
import { summarizeSamples } from '../../../src/diagnosis/summarizeSamples';
import { fixture } from './fixture';

describe('parsePortSamples on a real sampling of the lab', () => {
  it('reads when the binder appeared and left, on the host clock', () => {
    // sample-holding-8080.cmd: python3 took :8080 between sample 5 and sample 6
    const s = parsePortSamples(fixture('sample-holding-8080.txt'));
    expect(s).toMatchObject({
      mode: 'holding',
      intervalMs: 100,
      startedAt: 1796673284.729,
      samples: 18,
      truncated: false,
    });
    // uptime 158589 cs at start=…284.729: +1.52 s, +1.80 s, +5.07 s
    expect(s?.changes.map((c) => [c.at, c.index, c.sockets.length])).toEqual([
      [1796673286.249, 5, 1],
      [1796673286.529, 6, 0],
    ]);
    expect(s?.endedAt).toBe(1796673289.799);
    expect(s?.changes[0]?.sockets[0]).toMatchObject({
      state: 'LISTEN',
      localAddress: '0.0.0.0:8080',
      owners: [{ comm: 'python3', pid: 54, fd: 3 }],
    });
  });

  it('reads nothing from a sampling that did not finish, and notes dropped changes', () => {
    const text = fixture('sample-holding-8080.txt');
    expect(parsePortSamples(text.replace(/^end_cs=.*$/m, ''))).toBeNull();
    expect(parsePortSamples(text.replace('changes=2', 'changes=201'))?.truncated).toBe(true);
  });
});

describe('summarizeSamples on a real sampling of the lab', () => {
  it('one process, three holds: three episodes with their times and lengths', () => {
    // sample-holding-8080-three-holds.cmd: 8 s, python3 binding :8080 for 200 ms every 2 s
    const s = parsePortSamples(fixture('sample-holding-8080-three-holds.txt'));
    if (!s) throw new Error('fixture did not parse');
    const seen = summarizeSamples(
      { ...s, evidence: { probe: 'sample', command: '', output: '' } },
      () => false,
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ comm: 'python3', pid: 54 });
    expect(seen[0]?.episodes.map((e) => [e.at, Math.round(e.seconds * 100)])).toEqual([
      [1796674149.687, 30],
      [1796674153.657, 28],
      [1796674155.727, 22],
    ]);
  });

  it('the managed LB, when ignored, is no sighting', () => {
    const s = parsePortSamples(fixture('sample-holding-8080-three-holds.txt'));
    if (!s) throw new Error('fixture did not parse');
    const evidence = { probe: 'sample', command: '', output: '' };
    expect(summarizeSamples({ ...s, evidence }, (x) => x.owners[0]?.pid === 54)).toEqual([]);
  });
});
